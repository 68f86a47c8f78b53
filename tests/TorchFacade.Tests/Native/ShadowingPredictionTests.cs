using FluentAssertions;
using Xunit;

namespace TorchFacade.Tests.Native;

/// <summary>
/// <see cref="NativeDoctor.PredictShadowing"/>: which <c>libtorch_cpu.so</c> the dynamic loader would bind for
/// libLibTorchSharp.so (LD_LIBRARY_PATH first, then its own folder through RUNPATH=$ORIGIN, then the system folders),
/// over folders made for each case. The files are placeholders: nothing is ever loaded.
/// </summary>
public sealed class ShadowingPredictionTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("torchfacade-shadowing-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void An_application_that_ships_libtorch_and_a_clean_library_path_binds_its_own()
    {
        string app = Folder("app", "libLibTorchSharp.so", "libtorch_cpu.so");

        NativeDoctor.PredictShadowing(app, appShipsLibTorch: true, [], [Folder("system", "libtorch_cpu.so")], "linux-x64").Should().BeNull(
            "a system libtorch_cpu.so comes after libLibTorchSharp.so's own folder in the loader's order");
    }

    [Fact]
    public void A_libtorch_on_LD_LIBRARY_PATH_wins_over_the_shipped_one_and_the_fix_names_the_folder()
    {
        string app = Folder("app", "libLibTorchSharp.so", "libtorch_cpu.so");
        string python = Folder("python-torch-lib", "libtorch_cpu.so");

        string? problem = NativeDoctor.PredictShadowing(app, appShipsLibTorch: true, [Folder("empty"), python], [], "linux-x64");

        problem.Should().NotBeNull();
        problem.Should().StartWith($"TorchFacade: LD_LIBRARY_PATH holds {python}, whose libtorch_cpu.so");
        problem.Should().Contain("before the LibTorch this application ships").And.Contain("symbol lookup error")
            .And.Contain($"Fix: run this application without that folder on LD_LIBRARY_PATH").And.Contain(python);
        problem.Should().NotContain("PackageReference", "the application already ships LibTorch: only the environment is wrong");
    }

    [Fact]
    public void The_version_of_the_other_libtorch_is_read_from_the_file_its_link_names()
    {
        string system = Folder("usr-lib", "libtorch_cpu.so.2.6.0");
        string python = Folder("python-torch-lib");
        File.CreateSymbolicLink(Path.Combine(python, "libtorch_cpu.so"), Path.Combine(system, "libtorch_cpu.so.2.6.0"));

        string? problem = NativeDoctor.PredictShadowing(Folder("app", "libLibTorchSharp.so", "libtorch_cpu.so"), true, [python], [], "linux-x64");

        problem.Should().Contain($"{Path.Combine(python, "libtorch_cpu.so")} → {Path.Combine(system, "libtorch_cpu.so.2.6.0")}, LibTorch 2.6.0");
    }

    [Fact]
    public void LD_LIBRARY_PATH_naming_the_applications_own_folder_first_is_no_problem()
    {
        string app = Folder("app", "libLibTorchSharp.so", "libtorch_cpu.so");
        string alias = Path.Combine(root, "alias");
        Directory.CreateSymbolicLink(alias, app);

        NativeDoctor.PredictShadowing(app, true, [Folder("empty"), alias, Folder("later", "libtorch_cpu.so")], [], "linux-x64").Should().BeNull(
            "the first libtorch_cpu.so on the path is the application's own file (through a link)");
    }

    [Fact]
    public void Without_a_shipped_libtorch_an_unversioned_system_one_is_bound_and_the_fix_is_the_package()
    {
        string system = Folder("system", "libtorch_cpu.so");

        string? problem = NativeDoctor.PredictShadowing(Folder("app", "libLibTorchSharp.so"), appShipsLibTorch: false, [], [Folder("empty"), system], "linux-arm64");

        problem.Should().StartWith("TorchFacade: this application ships TorchSharp's libLibTorchSharp.so but no LibTorch next to it");
        problem.Should().Contain(Path.Combine(system, "libtorch_cpu.so")).And.Contain("<PackageReference Include=\"libtorch-cpu-linux-arm64\" Version=\"2.10.0\" />");
    }

    [Fact]
    public void Without_a_shipped_libtorch_a_library_path_one_gets_both_fixes()
    {
        string python = Folder("python-torch-lib", "libtorch_cpu.so");

        string? problem = NativeDoctor.PredictShadowing(Folder("app", "libLibTorchSharp.so"), false, [python], [], "linux-x64");

        problem.Should().Contain("before any other").And.Contain("without that folder on LD_LIBRARY_PATH")
            .And.Contain("<PackageReference Include=\"libtorch-cpu-linux-x64\" Version=\"2.10.0\" />");
    }

    [Fact]
    public void Only_versioned_system_files_as_Debians_libtorch2_6_installs_cannot_be_bound_so_TorchSharp_is_left_to_look()
    {
        // Debian's libtorch2.6 installs libtorch_cpu.so.2.6 and .2.6.0 only; the unversioned name comes with libtorch-dev.
        // libLibTorchSharp.so needs "libtorch_cpu.so", so the loader cannot pick these up, and TorchSharp falls back to
        // a copy from the NuGet package cache (or reports that it found none): nothing to refuse here.
        string system = Folder("system", "libtorch_cpu.so.2.6", "libtorch_cpu.so.2.6.0");

        NativeDoctor.PredictShadowing(Folder("app", "libLibTorchSharp.so"), false, [], [system], "linux-x64").Should().BeNull();
        NativeDoctor.PredictShadowing(Folder("app2", "libLibTorchSharp.so"), false, [], [], "linux-x64").Should().BeNull();
    }

    [Fact]
    public void No_libLibTorchSharp_in_the_application_means_nothing_to_predict()
    {
        NativeDoctor.PredictShadowing(null, false, [Folder("python-torch-lib", "libtorch_cpu.so")], [], "linux-x64").Should().BeNull();
    }

    private string Folder(string name, params string[] files)
    {
        string folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        foreach (string file in files)
        {
            File.WriteAllBytes(Path.Combine(folder, file), "placeholder, never loaded"u8.ToArray());
        }

        return folder;
    }
}
