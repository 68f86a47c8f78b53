namespace TorchFacade.Conformance.Cases.Optimizers;

/// <summary>
/// An independent oracle for the six elementwise optimizers added after the first five (NAdam, RAdam, Adamax, Adadelta,
/// ASGD, Rprop; <see cref="NewerOptimizers"/> names them and builds the reference ones): PyTorch 2.6's single-tensor update rules
/// written out in <see cref="double"/> with plain for-loops over arrays, in the textbook form (no LibTorch, no vectors,
/// no fused multiply-adds, bias corrections applied where the paper puts them). The few values PyTorch keeps as
/// float32 0-d tensors (NAdam's <c>mu_product</c>, ASGD's <c>eta</c> and <c>mu</c>) are rounded to float as PyTorch
/// rounds them: that is PyTorch's semantics, not a rounding detail. A parameter whose gradient is null is skipped.
/// </summary>
internal sealed class LoopOracle(string name, IReadOnlyDictionary<string, double> options) : ForLoopOracle
{
    /// <inheritdoc />
    /// <remarks>PyTorch's 0-d state values are 1-element arrays in <see cref="ForLoopOracle.StateOf"/>: NAdam's <c>mu_product</c>, ASGD's <c>eta</c> and <c>mu</c>.</remarks>
    public override void Step(IReadOnlyList<double[]> parameters, IReadOnlyList<double[]?> grads)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(grads);
        for (int k = 0; k < parameters.Count; k++)
        {
            if (grads[k] is not { } grad)
            {
                continue;
            }

            if (!States.TryGetValue(k, out var s))
            {
                s = new(StringComparer.Ordinal);
                if (name == "NAdam")
                {
                    s["mu_product"] = [1.0];
                }
                else if (name == "ASGD")
                {
                    (s["eta"], s["mu"]) = ([(float)O("lr")], [1.0]);
                }

                States[k] = s;
            }

            long t = StepCounts[k] = StepOf(k) + 1;
            double[] p = parameters[k];
            double[] g = Effective(p, grad, decoupled: O("decoupled_weight_decay") != 0);
            switch (name)
            {
                case "NAdam": NAdam(p, g, s, t); break;
                case "RAdam": RAdam(p, g, s, t); break;
                case "Adamax": Adamax(p, g, s, t); break;
                case "Adadelta": Adadelta(p, g, s); break;
                case "ASGD": Asgd(p, g, s, t); break;
                default: Rprop(p, g, s); break;
            }
        }
    }

    private double O(string key) => options.TryGetValue(key, out double v) ? v : Default(name, key);

    /// <summary>PyTorch 2.6's default of option <paramref name="key"/> of optimizer <paramref name="name"/> (0 for flags and weight decay).</summary>
    /// <param name="name">PyTorch's class name (<c>NAdam</c>, ...).</param>
    /// <param name="key">PyTorch's option name (<c>beta1</c>/<c>beta2</c> for <c>betas</c>, <c>etaminus</c>/<c>etaplus</c>, <c>min_step</c>/<c>max_step</c>).</param>
    /// <returns>The default.</returns>
    public static double Default(string name, string key) => (name, key) switch
    {
        ("NAdam", "lr") or ("Adamax", "lr") => 2e-3,
        ("RAdam", "lr") => 1e-3,
        ("Adadelta", "lr") => 1.0,
        ("ASGD", "lr") or ("Rprop", "lr") => 1e-2,
        (_, "beta1") => 0.9,
        (_, "beta2") => 0.999,
        ("Adadelta", "eps") => 1e-6,
        (_, "eps") => 1e-8,
        (_, "momentum_decay") => 4e-3,
        (_, "rho") => 0.9,
        (_, "lambd") => 1e-4,
        (_, "alpha") => 0.75,
        (_, "t0") => 1e6,
        (_, "etaminus") => 0.5,
        (_, "etaplus") => 1.2,
        (_, "min_step") => 1e-6,
        (_, "max_step") => 50,
        _ => 0,
    };

    // maximize negates first; then the L2 term (coupled) or, for decoupled decay, p ← p·(1 − lr·wd).
    private double[] Effective(double[] p, double[] grad, bool decoupled)
    {
        double wd = O("weight_decay"), lr = O("lr");
        var g = new double[grad.Length];
        for (int i = 0; i < g.Length; i++)
        {
            g[i] = O("maximize") != 0 ? -grad[i] : grad[i];
            if (wd != 0 && decoupled)
            {
                p[i] *= 1 - (lr * wd);
            }
            else if (wd != 0)
            {
                g[i] += wd * p[i];
            }
        }

        return g;
    }

    private void Moments(double[] g, Dictionary<string, double[]> s, out double[] m, out double[] v)
    {
        double b1 = O("beta1"), b2 = O("beta2");
        m = Buffer(s, "exp_avg", g.Length);
        v = Buffer(s, "exp_avg_sq", g.Length);
        for (int i = 0; i < g.Length; i++)
        {
            m[i] = (b1 * m[i]) + ((1 - b1) * g[i]);
            v[i] = (b2 * v[i]) + ((1 - b2) * g[i] * g[i]);
        }
    }

    private void NAdam(double[] p, double[] g, Dictionary<string, double[]> s, long t)
    {
        double b1 = O("beta1"), lr = O("lr"), psi = O("momentum_decay"), eps = O("eps");
        double mu = b1 * (1 - (0.5 * Math.Pow(0.96, t * psi)));
        double muNext = b1 * (1 - (0.5 * Math.Pow(0.96, (t + 1) * psi)));
        double muProduct = s["mu_product"][0] = (float)((float)s["mu_product"][0] * (float)mu);
        Moments(g, s, out double[] m, out double[] v);
        double bc2 = 1 - Math.Pow(O("beta2"), t);
        for (int i = 0; i < p.Length; i++)
        {
            double denom = Math.Sqrt(v[i] / bc2) + eps;
            p[i] -= lr * (1 - mu) / (1 - muProduct) * g[i] / denom;
            p[i] -= lr * muNext / (1 - (muProduct * muNext)) * m[i] / denom;
        }
    }

    private void RAdam(double[] p, double[] g, Dictionary<string, double[]> s, long t)
    {
        double b1 = O("beta1"), b2 = O("beta2"), lr = O("lr"), eps = O("eps");
        Moments(g, s, out double[] m, out double[] v);
        double bc1 = 1 - Math.Pow(b1, t), bc2 = 1 - Math.Pow(b2, t);
        double rhoInf = (2 / (1 - b2)) - 1;
        double rhoT = rhoInf - (2 * t * Math.Pow(b2, t) / bc2);
        for (int i = 0; i < p.Length; i++)
        {
            double mHat = m[i] / bc1;
            if (rhoT > 5)
            {
                double rect = Math.Sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
                p[i] -= mHat * lr * Math.Sqrt(bc2) / (Math.Sqrt(v[i]) + eps) * rect;
            }
            else
            {
                p[i] -= mHat * lr;
            }
        }
    }

    private void Adamax(double[] p, double[] g, Dictionary<string, double[]> s, long t)
    {
        double b1 = O("beta1"), b2 = O("beta2"), eps = O("eps");
        double[] m = Buffer(s, "exp_avg", p.Length), u = Buffer(s, "exp_inf", p.Length);
        double clr = O("lr") / (1 - Math.Pow(b1, t));
        for (int i = 0; i < p.Length; i++)
        {
            m[i] = (b1 * m[i]) + ((1 - b1) * g[i]);
            u[i] = Math.Max(b2 * u[i], Math.Abs(g[i]) + eps);
            p[i] -= clr * m[i] / u[i];
        }
    }

    private void Adadelta(double[] p, double[] g, Dictionary<string, double[]> s)
    {
        double rho = O("rho"), eps = O("eps"), lr = O("lr");
        double[] sq = Buffer(s, "square_avg", p.Length), acc = Buffer(s, "acc_delta", p.Length);
        for (int i = 0; i < p.Length; i++)
        {
            sq[i] = (rho * sq[i]) + ((1 - rho) * g[i] * g[i]);
            double delta = Math.Sqrt(acc[i] + eps) / Math.Sqrt(sq[i] + eps) * g[i];
            acc[i] = (rho * acc[i]) + ((1 - rho) * delta * delta);
            p[i] -= lr * delta;
        }
    }

    private void Asgd(double[] p, double[] g, Dictionary<string, double[]> s, long t)
    {
        double lr = O("lr"), lambd = O("lambd");
        (double eta, double mu) = (s["eta"][0], s["mu"][0]);
        double[] ax = Buffer(s, "ax", p.Length);
        for (int i = 0; i < p.Length; i++)
        {
            p[i] *= 1 - (lambd * eta);
            p[i] -= eta * g[i];
            ax[i] = mu != 1 ? ax[i] + ((p[i] - ax[i]) * mu) : p[i];
        }

        s["eta"][0] = (float)(lr / Math.Pow(1 + (lambd * lr * t), O("alpha")));
        s["mu"][0] = (float)(1 / Math.Max(1, t - O("t0")));
    }

    private void Rprop(double[] p, double[] g, Dictionary<string, double[]> s)
    {
        double[] prev = Buffer(s, "prev", p.Length);
        if (!s.TryGetValue("step_size", out double[]? size))
        {
            size = Enumerable.Repeat(O("lr"), p.Length).ToArray();
            s["step_size"] = size;
        }

        for (int i = 0; i < p.Length; i++)
        {
            double product = g[i] * prev[i];
            double factor = product > 0 ? O("etaplus") : product < 0 ? O("etaminus") : 1;
            size[i] = Math.Clamp(size[i] * factor, O("min_step"), O("max_step"));
            double gi = product < 0 ? 0 : g[i];
            p[i] -= Math.Sign(gi) * size[i];
            prev[i] = gi;
        }
    }

    private static double[] Buffer(Dictionary<string, double[]> s, string key, int length)
    {
        if (!s.TryGetValue(key, out double[]? b))
        {
            b = new double[length];
            s[key] = b;
        }

        return b;
    }
}
