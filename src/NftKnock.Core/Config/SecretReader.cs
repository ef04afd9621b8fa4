namespace NftKnock.Core.Config;

/// <summary>Reads a secret file for the config reader; the edge supplies it, so Core stays free of I/O.</summary>
/// <param name="path">The path as the config wrote it.</param>
public delegate SecretFileContent SecretReader(string path);

/// <summary>What reading a secret file gave: its text, or why it could not be read.</summary>
/// <param name="Text">The file's text; null when unreadable.</param>
/// <param name="Unreadable">Why the file could not be read, as a phrase ("the file does not exist").</param>
/// <param name="Unsafe">Why the file is unsafe (others could read or replace it), as a phrase; null when it is safe.</param>
public sealed record SecretFileContent(string? Text, string? Unreadable, string? Unsafe);
