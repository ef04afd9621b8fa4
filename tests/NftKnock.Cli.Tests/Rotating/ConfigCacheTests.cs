using NftKnock.Core.Rotating;

namespace NftKnock.Cli.Tests.Rotating;

/// <summary>
/// A running rotate keeps the config it read while nothing it was read from changed, and reads afresh as
/// soon as the config, a secret file or a secret's folder changes: a new secret is written at the next
/// wake, and a folder that became unsafe stops rotation as it would at the first.
/// </summary>
public sealed class ConfigCacheTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("nftknock-cache-").FullName;
    private readonly StringWriter error = new();
    private readonly ConfigCache cache = new(keep: true);

    public ConfigCacheTests()
    {
        WriteSecret(1);
        File.WriteAllText(ConfigPath, Config("10s"));
    }

    private string Secrets => Path.Join(folder, "secrets");

    private string SecretPath => Path.Join(Secrets, "ssh.secret");

    private string ConfigPath => Path.Join(folder, "nftknock.yaml");

    public void Dispose()
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Secrets, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.Delete(folder, recursive: true);
    }

    private string Config(string period) => $"doors:\n  ssh:\n    protect: [22/tcp]\n    rotating: {{secret-file: {SecretPath}, period: {period}}}\n";

    private void WriteSecret(byte seed)
    {
        Directory.CreateDirectory(Secrets);
        File.WriteAllText(SecretPath, RotatingSecret.Format([.. Enumerable.Range(0, 32).Select(i => (byte)(i + seed))]));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Secrets, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(SecretPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private ConfigResultView Load() => new(cache.Load(ConfigPath, new CliContext { Out = TextWriter.Null, Error = error }));

    [Fact]
    public void Unchanged_files_give_the_config_read_before()
    {
        var first = Load();
        var second = Load();

        first.Secret.ShouldBe((byte)1);
        if (OperatingSystem.IsLinux())
        {
            second.Result.ShouldBeSameAs(first.Result);
        }
        else
        {
            second.Result.ShouldNotBeSameAs(first.Result, "without statx nothing counts as unchanged");
        }
    }

    [Fact]
    public void A_single_wake_keeps_nothing()
    {
        var once = new ConfigCache(keep: false);

        once.Load(ConfigPath, new CliContext { Out = TextWriter.Null, Error = error }).ShouldNotBeSameAs(once.Load(ConfigPath, new CliContext { Out = TextWriter.Null, Error = error }));
    }

    [Fact]
    public void A_rewritten_secret_is_read_again()
    {
        Load();

        WriteSecret(2);

        Load().Secret.ShouldBe((byte)2);
    }

    [Fact]
    public void A_changed_config_is_read_again()
    {
        Load();

        File.WriteAllText(ConfigPath, Config("20s"));

        Load().Result!.Config!.Doors.Single().Rotating!.Period.ShouldBe(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void A_secrets_folder_others_can_write_to_is_caught_at_the_next_load()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Load().Result!.Config.ShouldNotBeNull();

        File.SetUnixFileMode(Secrets, (UnixFileMode)0x1FF);

        Load().Result!.Config.ShouldBeNull();
        error.ToString().ShouldContain("lets other users replace the file");
    }

    /// <summary>A loaded config and the first byte of its door's secret.</summary>
    private sealed record ConfigResultView(NftKnock.Core.Config.ConfigResult? Result)
    {
        public byte Secret => Result!.Config!.Doors.Single().Rotating!.Clients.Single().Secret.Span[0];
    }
}
