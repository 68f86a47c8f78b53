using System.Reflection;
using System.Reflection.Emit;
using FluentAssertions;
using TorchFacade.Reference.Optimizers;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Optimizers;

/// <summary>
/// No method of the reference optimizers (TorchFacade.Reference.Optimizers, lambdas and iterators included) or of the
/// facade's optimizers and schedulers (TorchFacade.Optim) converts a number to TorchSharp's <see cref="Scalar"/>
/// implicitly: that conversion makes a scalar nothing keeps alive across the native call (see
/// <see cref="ScalarLifetimeStressTests"/>). Read from the compiled IL: every <c>call</c> to <c>Scalar.op_Implicit</c> or
/// to <c>ToScalar</c> outside <see cref="KeptScalars"/> is listed, and every <c>Tensor.op_Implicit</c> (a number made
/// into a 0-d tensor on the spot, or a kept scalar passed to an op that has no <c>Scalar</c> overload). And <see cref="KeptScalars"/> itself: its scalars
/// survive forced collections until the scope ends, and are freed then.
/// </summary>
public class ImplicitScalarScanTests
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    [Fact]
    public void OptimizerAndSchedulerCodeMakesNoImplicitScalars()
    {
        var offenders = new List<string>();
        Scan(typeof(ReferenceOptimizer).Assembly, "TorchFacade.Reference.Optimizers", offenders);
        Scan(typeof(TorchFacade.Optim.Optimizer).Assembly, "TorchFacade.Optim", offenders);
        offenders.Should().BeEmpty("every Scalar a tensor op takes must come from KeptScalars.S, which keeps it alive across the native call");
    }

    [Fact]
    public void TheScanFindsAnImplicitScalar()
    {
        var offenders = new List<string>();
        ScanMethod(typeof(ImplicitScalarScanTests).GetMethod(nameof(MakesAnImplicitScalar), BindingFlags.NonPublic | BindingFlags.Static)!, offenders);
        offenders.Should().ContainSingle().Which.Should().Contain("op_Implicit");
        offenders.Clear();
        ScanMethod(typeof(ImplicitScalarScanTests).GetMethod(nameof(CallsAnOverloadThatMakesOne), BindingFlags.NonPublic | BindingFlags.Static)!, offenders);
        offenders.Should().ContainSingle().Which.Should().Contain("Tensor.add_(Tensor), which makes Scalar.op_Implicit(Int32)");
    }

    [Fact]
    public void KeptScalarsSurviveCollectionsUntilTheScopeEndsAndAreFreedThen()
    {
        Scalar scalar;
        using (KeptScalars.Open())
        {
            scalar = MakeAndDropReference();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            scalar.ToDouble().Should().Be(0.125, "the open scope keeps the scalar and its native value alive");
        }

        Action read = () => scalar.ToDouble();
        read.Should().Throw<InvalidOperationException>("disposing the scope frees the scalar's native value");
    }

    [Fact]
    public void KeptScalarsNeedAnOpenScope()
    {
        Action make = () => KeptScalars.S(1.0);
        make.Should().Throw<InvalidOperationException>().WithMessage("*KeptScalars.Open()*");
    }

    private static Scalar MakeAndDropReference() => KeptScalars.S(0.125);

    private static torch.Tensor MakesAnImplicitScalar(torch.Tensor t) => t.mul(2.0);

    private static torch.Tensor CallsAnOverloadThatMakesOne(torch.Tensor t) => t.add_(t);

    private static void Scan(Assembly assembly, string ns, List<string> offenders)
    {
        foreach (Type type in assembly.GetTypes().Where(t => t.Namespace is { } n && (n == ns || n.StartsWith(ns + ".", StringComparison.Ordinal))))
        {
            if (type == typeof(KeptScalars))
            {
                continue;
            }

            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (MethodBase method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                ScanMethod(method, offenders);
            }
        }
    }

    private static void ScanMethod(MethodBase method, List<string> offenders) => ForEachCall(method, callee =>
    {
        // Scalar.op_Implicit: a number made into a Scalar on the spot. Tensor.op_Implicit: a number made into a 0-d
        // tensor on the spot (the same hazard), or a kept Scalar passed where TorchSharp has no Scalar overload,
        // which TorchSharp refuses at run time ("Should not be called").
        if (MakesScalar(callee) || (callee.DeclaringType == typeof(torch.Tensor) && callee.Name == "op_Implicit"))
        {
            offenders.Add($"{method.DeclaringType!.FullName}.{method.Name} calls {Describe(callee)}");
        }
        else if (callee.Module == typeof(Scalar).Module && MakesScalarInside(callee) is { } inner)
        {
            // TorchSharp's shorter overloads (add(x), add_(s), addcdiv_(a, b), square()) make an implicit 1 or 2 themselves.
            offenders.Add($"{method.DeclaringType!.FullName}.{method.Name} calls {Describe(callee)}, which makes {Describe(inner)}");
        }
    });

    private static readonly Dictionary<MethodBase, MethodBase?> InsideCache = [];

    private static bool MakesScalar(MethodBase callee) =>
        (callee.DeclaringType == typeof(Scalar) && callee.Name == "op_Implicit")
        || (callee.Name == "ToScalar" && callee.DeclaringType?.Namespace == "TorchSharp");

    /// <summary>The implicit scalar a TorchSharp method makes in its own body, or null.</summary>
    private static MethodBase? MakesScalarInside(MethodBase method)
    {
        if (InsideCache.TryGetValue(method, out MethodBase? known))
        {
            return known;
        }

        MethodBase? found = null;
        ForEachCall(method, callee => found ??= MakesScalar(callee) ? callee : null);
        InsideCache[method] = found;
        return found;
    }

    private static void ForEachCall(MethodBase method, Action<MethodBase> visit)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        int i = 0;
        while (il is not null && i < il.Length)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            OpCode op = OpCodesByValue[value];
            i += op.Size;
            if (op.OperandType == OperandType.InlineMethod && Resolve(method, BitConverter.ToInt32(il, i)) is { } callee)
            {
                visit(callee);
            }

            i += OperandSize(op.OperandType, il, i);
        }
    }

    private static string Describe(MethodBase m) => $"{m.DeclaringType!.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})";

    private static MethodBase? Resolve(MethodBase method, int token)
    {
        try
        {
            Type[]? typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
            Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
            return method.Module.ResolveMethod(token, typeArgs, methodArgs);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
