using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;

namespace NftKnock.Core.Config;

/// <summary>The outcome of reading a config: the model when there are no errors, and every diagnostic.</summary>
public sealed record ConfigResult(ServerConfig? Config, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when the config can be used.</summary>
    public bool IsValid => Config is not null;
}
