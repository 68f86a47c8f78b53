using FluentAssertions;
using TorchFacade.Conformance.Cases.Devices;
using TorchSharp;
using Xunit;

namespace TorchFacade.Conformance.Tests.Devices;

/// <summary>
/// The devices group's machinery, exercised where there is no GPU: each operation compared CPU against CPU must run,
/// produce figures over every element, and agree exactly (same device, same kernels, same inputs).
/// </summary>
public sealed class DeviceComparisonTests
{
    public static TheoryData<string, string, bool> Ops()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (DeviceOp op in DeviceOps.All)
        {
            foreach (string dtype in new[] { "float32", "float64" })
            {
                data.Add(op.Name, dtype, false);
                data.Add(op.Name, dtype, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void Cpu_against_cpu_agrees_exactly(string name, string dtypeName, bool backward)
    {
        DeviceOp op = DeviceOps.All.Single(o => o.Name == name);
        DTypeNames.TryParse(dtypeName, out torch.ScalarType dtype).Should().BeTrue();
        using var scope = torch.NewDisposeScope();
        CaseResult r = DeviceComparisonCases.CompareWithCpu(op, dtype, "cpu", backward, Tolerance.Exact("same device"));
        r.Outcome.Should().Be(CaseOutcome.Passed, r.Message);
        r.Figures.Should().NotBeNull();
        r.Figures!.MaxAbsError.Should().Be(0);
        r.Figures.Elements.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Every_op_has_forward_and_backward_cases_in_both_dtypes_on_cuda()
    {
        var ids = new DeviceComparisonCases().Cases().Select(c => c.Id).ToList();
        ids.Should().HaveCount(DeviceOps.All.Count * 4);
        ids.Should().Contain("devices/exp/float32/cuda").And.Contain("devices/conv2d/float64/cuda/backward");
        new DeviceComparisonCases().Cases().Should().OnlyContain(c => c.Device == "cuda" && c.Group == CaseGroup.Devices && c.Tolerance != null);
    }

    [Fact]
    public void Inputs_include_the_spec_edge_values_and_are_seeded()
    {
        DeviceOp exp = DeviceOps.All.Single(o => o.Name == "exp");
        using var scope = torch.NewDisposeScope();
        using var g1 = new torch.Generator(7);
        using var g2 = new torch.Generator(7);
        double[] a = Compare.ToDoubles(exp.Inputs(g1, torch.ScalarType.Float64)[0]);
        double[] b = Compare.ToDoubles(exp.Inputs(g2, torch.ScalarType.Float64)[0]);
        a.Should().Equal(b, "the same seed gives the same inputs");
        a.Should().Contain([0.0, 1e-30, -1e-30, 88, -88]);
        a.Length.Should().BeGreaterThan(4096, "long enough for vector paths and a tail");
    }
}
