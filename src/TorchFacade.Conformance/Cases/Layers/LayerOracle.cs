namespace TorchFacade.Conformance.Cases.Layers;

/// <summary>Scalar oracles in <see cref="double"/> for the layer cases (independent of LibTorch).</summary>
internal static class LayerOracle
{
    /// <summary>erf(x) to about 1e-15: the Maclaurin series below 2.5, a continued fraction for erfc above.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        double a = Math.Abs(x);
        double result;
        if (a < 2.5)
        {
            double term = a, sum = a, x2 = a * a;
            for (int n = 1; n < 200; n++)
            {
                term *= -x2 / n;
                double add = term / ((2 * n) + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum))
                {
                    break;
                }
            }

            result = 2.0 / Math.Sqrt(Math.PI) * sum;
        }
        else if (a > 27)
        {
            result = 1.0;
        }
        else
        {
            // erfc(a) = exp(-a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + ...))))), evaluated bottom-up.
            double f = a;
            for (int k = 120; k >= 1; k--)
            {
                f = a + (k / 2.0 / f);
            }

            result = 1.0 - (Math.Exp(-a * a) / Math.Sqrt(Math.PI) / f);
        }

        return x < 0 ? -result : result;
    }

    public static double Sigmoid(double x) => x >= 0 ? 1.0 / (1.0 + Math.Exp(-x)) : Math.Exp(x) / (1.0 + Math.Exp(x));

    public static double Relu(double x) => x > 0 ? x : 0.0;

    public static double Gelu(double x) => 0.5 * x * (1.0 + Erf(x / Math.Sqrt(2.0)));

    public static double GeluTanh(double x) => 0.5 * x * (1.0 + Math.Tanh(Math.Sqrt(2.0 / Math.PI) * (x + (0.044715 * x * x * x))));

    /// <summary><c>y = x·Aᵀ + b</c> for one row, with A of shape (out, in).</summary>
    public static double[] Linear(double[] x, double[] weight, double[]? bias, int outFeatures)
    {
        int inFeatures = x.Length;
        var y = new double[outFeatures];
        for (int o = 0; o < outFeatures; o++)
        {
            double s = bias?[o] ?? 0.0;
            for (int i = 0; i < inFeatures; i++)
            {
                s += weight[(o * inFeatures) + i] * x[i];
            }

            y[o] = s;
        }

        return y;
    }
}
