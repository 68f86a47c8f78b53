namespace TorchFacade.Fuzz;

/// <summary>What one mutant did to its reader.</summary>
internal enum FuzzOutcome
{
    /// <summary>It loaded (the mutation left it valid, or changed only data).</summary>
    Loaded,

    /// <summary>It was refused with the reader's own typed exception.</summary>
    Rejected,

    /// <summary>It raised some other exception: a bug.</summary>
    OtherException,

    /// <summary>The process running it died: a bug.</summary>
    Crashed,
}
