// The fuzz harness of TorchFacade's four file readers (./build.sh fuzz [--mutants N] [--targets npy,npz,safetensors,torch]
// [--seed S] [--out artifacts/fuzz]). Each reader's mutants run in child processes of this program ("child" verb), so a
// crash is counted and saved instead of ending the run; the figures go to the console and to <out>/report.md and
// <out>/report.json ("mutant <target> <seed> <index> <file>" writes one mutant and says what its reader does). Exit code 1 when any mutant crashed or raised an exception other than the reader's own.
using System.Globalization;
using System.Text.Json;
using TorchFacade.Fuzz;
using TorchSharp;

if (args.Length == 5 && args[0] == "child")
{
    FuzzTarget target = FuzzTarget.Named(args[1]);
    int seed = int.Parse(args[2], CultureInfo.InvariantCulture);
    int from = int.Parse(args[3], CultureInfo.InvariantCulture);
    int count = int.Parse(args[4], CultureInfo.InvariantCulture);
    using var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
    // TORCHFACADE_FUZZ_CRASH_AT=<index> makes the child die at that mutant: the check that a crash is counted, saved and survived.
    int crashAt = int.TryParse(Environment.GetEnvironmentVariable("TORCHFACADE_FUZZ_CRASH_AT"), out int c) ? c : -1;
    FuzzCampaign.RunInProcess(target, seed, from, count, r => stdout.WriteLine(r.ToLine()), i =>
    {
        if (i == crashAt)
        {
            Environment.FailFast($"TORCHFACADE_FUZZ_CRASH_AT={i}: the fuzz child dies here on purpose.");
        }
    });
    return 0;
}

if (args.Length == 5 && args[0] == "mutant")
{
    // fuzz mutant <target> <seed> <index> <file>: writes that mutant and prints what its reader does with it (to reproduce one).
    FuzzTarget target = FuzzTarget.Named(args[1]);
    int index = int.Parse(args[3], CultureInfo.InvariantCulture);
    byte[] bytes = FuzzCampaign.MakeMutant(target, target.Seeds(), int.Parse(args[2], CultureInfo.InvariantCulture), index);
    File.WriteAllBytes(args[4], bytes);
    try
    {
        FuzzCampaign.DisposeAll(target.Load(args[4], index % 2 == 1));
        Console.WriteLine($"{args[4]}: {bytes.Length} bytes, loads");
    }
    catch (Exception ex)
    {
        Console.WriteLine($"{args[4]}: {bytes.Length} bytes, {ex.GetType().Name}: {ex.Message}");
    }

    return 0;
}

int mutants = 100_000;
int campaignSeed = 20261203;
string output = Path.Combine("artifacts", "fuzz");
IReadOnlyList<FuzzTarget> targets = FuzzTarget.All;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--mutants":
            mutants = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--seed":
            campaignSeed = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--out":
            output = Next();
            break;
        case "--targets":
            targets = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(FuzzTarget.Named)];
            break;
        default:
            Console.Error.WriteLine($"fuzz: unknown argument '{args[i]}'. Usage: fuzz [--mutants N] [--targets {string.Join(',', FuzzTarget.All.Select(t => t.Name))}] [--seed S] [--out folder]");
            return 2;
    }
}

_ = torch.ones(1); // load LibTorch once here, so the first child's failure to load it is not mistaken for a crash of a mutant
Directory.CreateDirectory(output);
Console.WriteLine($"fuzz: {mutants:N0} mutants per reader ({string.Join(", ", targets.Select(t => t.Name))}), seed {campaignSeed}, in child processes");
var reports = new List<FuzzReport>();
foreach (FuzzTarget target in targets)
{
    FuzzReport report = FuzzCampaign.RunInChildren(target, campaignSeed, mutants, Path.Combine(output, "crashes"), Console.Out);
    reports.Add(report);
    Console.WriteLine(report.Row());
}

string table = FuzzReport.Table(reports);
Console.WriteLine();
Console.WriteLine(table);
foreach (FuzzReport r in reports.Where(r => r.Failures.Count > 0))
{
    Console.WriteLine($"{r.Target}: first failures:");
    r.Failures.ForEach(f => Console.WriteLine("  " + f));
}

File.WriteAllText(Path.Combine(output, "report.md"), $"# Fuzz: {mutants:N0} mutants per reader, seed {campaignSeed}\n\n{table}");
File.WriteAllText(Path.Combine(output, "report.json"), JsonSerializer.Serialize(
    reports.Select(r => new
    {
        reader = r.Target, mutants = r.Cases, loaded = r.Loaded, refused = r.Rejected, crashes = r.Crashes, otherExceptions = r.OtherExceptions,
        maxManagedBytes = r.MaxManagedBytes, maxManagedInputBytes = r.MaxManagedInputBytes, maxManagedPerInputByte = r.MaxManagedPerByte, maxTensorBytes = r.MaxTensorBytes,
        maxTensorBytesPerInputByte = r.MaxTensorPerByte, maxInputBytes = r.MaxInputBytes, seconds = r.Seconds, failures = r.Failures,
    }),
    new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"fuzz: report written to {Path.Combine(output, "report.md")}");
return reports.Any(r => r.Bugs > 0) ? 1 : 0;
