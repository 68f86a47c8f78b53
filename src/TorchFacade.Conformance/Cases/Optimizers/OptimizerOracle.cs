namespace TorchFacade.Conformance.Cases.Optimizers;

/// <summary>
/// An independent oracle: PyTorch 2.x's single-tensor update rules written out
/// in <see cref="double"/> with plain loops over arrays — no LibTorch, no vectors, no fused operations. A parameter
/// whose gradient is <see langword="null"/> is skipped and its state is neither created nor advanced.
/// </summary>
internal sealed class OptimizerOracle : ForLoopOracle
{
    private readonly OptimizerSpec spec;

    /// <summary>Creates an oracle with empty state.</summary>
    /// <param name="spec">The configuration.</param>
    public OptimizerOracle(OptimizerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        this.spec = spec;
    }

    /// <summary>The learning rate used by the next step (changed between steps like <c>group["lr"]</c>).</summary>
    public double? LrOverride { get; set; }

    /// <inheritdoc />
    public override void Step(IReadOnlyList<double[]> parameters, IReadOnlyList<double[]?> grads)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(grads);
        for (int k = 0; k < parameters.Count; k++)
        {
            if (spec.Kind == OptimizerKind.Adagrad && !States.ContainsKey(k))
            {
                // Adagrad creates its state in the constructor, for every parameter.
                States[k] = new(StringComparer.Ordinal) { ["sum"] = Filled(parameters[k].Length, spec.InitialAccumulatorValue) };
                StepCounts[k] = 0;
            }

            if (grads[k] is not { } grad)
            {
                continue;
            }

            if (!States.TryGetValue(k, out var s))
            {
                s = new(StringComparer.Ordinal);
                States[k] = s;
            }

            long t = StepCounts[k] = StepOf(k) + 1;
            double[] p = parameters[k];
            double lr = LrOverride ?? spec.LrValue;
            switch (spec.Kind)
            {
                case OptimizerKind.SGD: SGD(p, grad, s, lr); break;
                case OptimizerKind.Adagrad: Adagrad(p, grad, s, lr, t); break;
                case OptimizerKind.RMSprop: RMSprop(p, grad, s, lr); break;
                default: Adam(p, grad, s, lr, t, spec.Kind == OptimizerKind.AdamW); break;
            }
        }
    }

    private double G(double[] grad, double[] p, int i, bool l2)
    {
        double g = spec.Maximize ? -grad[i] : grad[i];
        return l2 ? g + (spec.WeightDecayValue * p[i]) : g;
    }

    private void SGD(double[] p, double[] grad, Dictionary<string, double[]> s, double lr)
    {
        bool first = !s.ContainsKey("momentum_buffer");
        double[]? buf = spec.Momentum != 0 ? Buffer(s, "momentum_buffer", p.Length) : null;
        for (int i = 0; i < p.Length; i++)
        {
            double g = G(grad, p, i, true);
            if (buf is not null)
            {
                buf[i] = first ? g : (spec.Momentum * buf[i]) + ((1 - spec.Dampening) * g);
                g = spec.Nesterov ? g + (spec.Momentum * buf[i]) : buf[i];
            }

            p[i] -= lr * g;
        }
    }

    private void Adagrad(double[] p, double[] grad, Dictionary<string, double[]> s, double lr, long t)
    {
        double[] sum = s["sum"];
        double clr = lr / (1 + ((t - 1) * spec.LrDecay));
        for (int i = 0; i < p.Length; i++)
        {
            double g = G(grad, p, i, true);
            sum[i] += g * g;
            p[i] -= clr * g / (Math.Sqrt(sum[i]) + spec.EpsValue);
        }
    }

    private void RMSprop(double[] p, double[] grad, Dictionary<string, double[]> s, double lr)
    {
        double a = spec.Alpha;
        double[] sq = Buffer(s, "square_avg", p.Length);
        double[]? ga = spec.Centered ? Buffer(s, "grad_avg", p.Length) : null;
        double[]? buf = spec.Momentum > 0 ? Buffer(s, "momentum_buffer", p.Length) : null;
        for (int i = 0; i < p.Length; i++)
        {
            double g = G(grad, p, i, true);
            sq[i] = (a * sq[i]) + ((1 - a) * g * g);
            double avg;
            if (ga is not null)
            {
                ga[i] = (a * ga[i]) + ((1 - a) * g);
                avg = Math.Sqrt(sq[i] - (ga[i] * ga[i])) + spec.EpsValue;
            }
            else
            {
                avg = Math.Sqrt(sq[i]) + spec.EpsValue;
            }

            if (buf is not null)
            {
                buf[i] = (spec.Momentum * buf[i]) + (g / avg);
                p[i] -= lr * buf[i];
            }
            else
            {
                p[i] -= lr * g / avg;
            }
        }
    }

    private void Adam(double[] p, double[] grad, Dictionary<string, double[]> s, double lr, long t, bool decoupled)
    {
        (double b1, double b2) = spec.Betas;
        double[] m = Buffer(s, "exp_avg", p.Length);
        double[] v = Buffer(s, "exp_avg_sq", p.Length);
        double[]? vmax = spec.Amsgrad ? Buffer(s, "max_exp_avg_sq", p.Length) : null;
        double bc1 = 1 - Math.Pow(b1, t);
        double bc2 = 1 - Math.Pow(b2, t);
        for (int i = 0; i < p.Length; i++)
        {
            if (decoupled)
            {
                p[i] *= 1 - (lr * spec.WeightDecayValue);
            }

            double g = G(grad, p, i, !decoupled);
            m[i] = (b1 * m[i]) + ((1 - b1) * g);
            v[i] = (b2 * v[i]) + ((1 - b2) * g * g);
            double vu = v[i];
            if (vmax is not null)
            {
                vmax[i] = Math.Max(vmax[i], v[i]);
                vu = vmax[i];
            }

            double mHat = m[i] / bc1;
            double vHat = vu / bc2;
            p[i] -= lr * mHat / (Math.Sqrt(vHat) + spec.EpsValue);
        }
    }

    private static double[] Buffer(Dictionary<string, double[]> s, string name, int length)
    {
        if (!s.TryGetValue(name, out double[]? b))
        {
            b = new double[length];
            s[name] = b;
        }

        return b;
    }

    private static double[] Filled(int length, double value)
    {
        var a = new double[length];
        Array.Fill(a, value);
        return a;
    }
}
