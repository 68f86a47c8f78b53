namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// PyTorch's <c>CosineAnnealingWarmRestarts</c> (SGDR): each group's learning rate follows a cosine from its initial
/// value to <c>etaMin</c> over <c>T_i</c> epochs, then restarts; <c>T_i</c> starts at <c>t0</c> and is multiplied by
/// <c>tMult</c> after each restart.
/// </summary>
/// <remarks>
/// Like PyTorch's, <see cref="Step(double)"/> also takes a fractional epoch (<c>scheduler.step(epoch + i / iters)</c>
/// within an epoch), and this scheduler never emits the step-before-optimizer warning (PyTorch's override of
/// <c>step</c> does not count steps).
/// </remarks>
public sealed class CosineAnnealingWarmRestarts : LRScheduler
{
    private int t0;
    private long tI;
    private int tMult;
    private double etaMin;
    private double tCur;
    private bool tCurIsFloat;

    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="t0">The number of epochs until the first restart (PyTorch's <c>T_0</c>), positive.</param>
    /// <param name="tMult">The factor by which the period grows after each restart (PyTorch's <c>T_mult</c>, default 1), ≥ 1.</param>
    /// <param name="etaMin">The minimum learning rate (PyTorch's <c>eta_min</c>, default 0).</param>
    /// <param name="lastEpoch">PyTorch's <c>last_epoch</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="t0"/> ≤ 0 or <paramref name="tMult"/> &lt; 1 (PyTorch's messages).</exception>
    /// <exception cref="KeyNotFoundException">Resuming, and a group has no <c>initial_lr</c>.</exception>
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult = 1, double etaMin = 0.0, int lastEpoch = -1)
        : base(optimizer)
    {
        Require(t0 > 0, $"Expected positive integer T_0, but got {t0}");
        Require(tMult >= 1, $"Expected integer T_mult >= 1, but got {tMult}");
        this.t0 = t0;
        tI = t0;
        this.tMult = tMult;
        this.etaMin = etaMin;
        tCur = lastEpoch;
        Initialize(lastEpoch);
    }

    /// <summary>PyTorch's <c>scheduler.step()</c>: one epoch on; restarts when the period is over.</summary>
    public override void Step() => StepAt(null, false);

    /// <summary>PyTorch's <c>scheduler.step(epoch)</c>: jumps to <paramref name="epoch"/>, which may be fractional (e.g. <c>epoch + batch / batches</c>).</summary>
    /// <param name="epoch">The (fractional) epoch, ≥ 0.</param>
    /// <exception cref="ArgumentException"><paramref name="epoch"/> is negative (PyTorch's message).</exception>
    public void Step(double epoch) => StepAt(epoch, true);

    /// <inheritdoc />
    protected override IReadOnlyList<double> GetLr()
    {
        double cos = Math.Cos(Math.PI * tCur / tI);
        return BaseLrs.Select(b => etaMin + ((b - etaMin) * (1 + cos) / 2)).ToList();
    }

    /// <inheritdoc />
    internal override void StepToEpoch(int epoch) => StepAt(epoch, false);

    /// <inheritdoc />
    private protected override IEnumerable<StateField> Fields() =>
    [
        new("T_0", () => (long)t0, v => t0 = StateValues.Int(v, "T_0")),
        new("T_i", () => tI, v => tI = StateValues.Int(v, "T_i")),
        new("T_mult", () => (long)tMult, v => tMult = StateValues.Int(v, "T_mult")),
        new("eta_min", () => etaMin, v => etaMin = StateValues.Double(v, "eta_min")),
        new("T_cur", () => tCurIsFloat ? tCur : (object)(long)tCur, v =>
        {
            tCurIsFloat = v is double or float;
            tCur = StateValues.Double(v, "T_cur");
        }),
        .. BaseFields(),
    ];

    private void StepAt(double? epoch, bool isFloat)
    {
        if (epoch is null && LastEpoch < 0)
        {
            epoch = 0;
            isFloat = false;
        }

        if (epoch is null)
        {
            epoch = LastEpoch + 1;
            tCur += 1;
            if (tCur >= tI)
            {
                tCur -= tI;
                tI *= tMult;
            }
        }
        else
        {
            double e = epoch.Value;
            if (e < 0)
            {
                throw new ArgumentException($"CosineAnnealingWarmRestarts.Step: Expected non-negative epoch, but got {(isFloat ? StateValues.Repr(e) : ((long)e).ToString(System.Globalization.CultureInfo.InvariantCulture))}");
            }

            if (e >= t0)
            {
                if (tMult == 1)
                {
                    tCur = isFloat ? PyMath.Mod(e, t0, "CosineAnnealingWarmRestarts.Step", "epoch % T_0", "Pass T_0 >= 1.") : PyMath.Mod((long)e, t0, "CosineAnnealingWarmRestarts.Step", "epoch % T_0", "Pass T_0 >= 1.");
                    tCurIsFloat = isFloat;
                }
                else
                {
                    int n = (int)(Math.Log(((e / t0) * (tMult - 1)) + 1) / Math.Log(tMult));
                    long power = IntPow(tMult, n);
                    tCur = e - ((double)(t0 * (power - 1)) / (tMult - 1));
                    tCurIsFloat = true;
                    tI = t0 * power;
                }
            }
            else
            {
                tI = t0;
                tCur = e;
                tCurIsFloat = isFloat;
            }
        }

        LastEpoch = (int)Math.Floor(epoch.Value);
        ApplyWithinStep(GetLr);
    }

    private static long IntPow(long b, int n)
    {
        long r = 1;
        for (int i = 0; i < n; i++)
        {
            r *= b;
        }

        return r;
    }
}
