using System.Diagnostics;
using System.Security.Cryptography;
using NftKnock.Core.Config;

namespace NftKnock.Cli.Deployment;

/// <summary>
/// Puts nftknock's files in place under a root directory (<c>/</c> on a real host, a scratch
/// folder in tests) and takes them away again; configs and secrets stay unless purged.
/// </summary>
internal sealed class Installer(string root, TextWriter log)
{
    public const string PackagedBinary = "/usr/bin/nftknock";

    public static readonly string[] Units = ["nftknock.service", "nftknock-rotate.service", "nftknock-metrics.service", "nftknock-metrics.timer"];

    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Where the binary goes: /usr/local, since /usr/bin belongs to the package manager.</summary>
    public const string BinaryPath = "/usr/local/bin/nftknock";

    public const string UnitDirectory = "/etc/systemd/system";

    public const string ConfigDirectory = "/etc/nftknock";

    public const string ConfigPath = "/etc/nftknock/nftknock.yaml";

    private bool RealHost => Path.GetFullPath(root) == "/";

    private string Under(string path) => Path.Combine(root, path.TrimStart('/'));

    public void Install(string binary)
    {
        var target = Under(BinaryPath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (Path.GetFullPath(binary) != Path.GetFullPath(target))
        {
            File.Copy(binary, target, overwrite: true);
        }

        SetMode(target, Executable);
        log.WriteLine(Texts.Installed(target));

        Directory.CreateDirectory(Under(UnitDirectory));
        foreach (var unit in Units)
        {
            // The shipped units name the packaged binary; this install puts it under /usr/local.
            var text = Resource($"systemd/{unit}").Replace(PackagedBinary, BinaryPath, StringComparison.Ordinal);
            var path = Path.Combine(Under(UnitDirectory), unit);
            File.WriteAllText(path, text);
            SetMode(path, Readable);
            log.WriteLine(Texts.Installed(path));
        }

        var configDir = Under(ConfigDirectory);
        Directory.CreateDirectory(configDir);
        SetMode(configDir, OwnerOnly);
        var config = Under(ConfigPath);
        if (File.Exists(config))
        {
            log.WriteLine(Texts.KeptConfig(config));
        }
        else
        {
            File.WriteAllText(config, SampleConfig(RandomNumberGenerator.GetInt32));
            SetMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            log.WriteLine(Texts.WroteSampleConfig(config));
        }

        if (RealHost)
        {
            Systemctl("daemon-reload");
        }

        log.WriteLine(Texts.InstallNext(ConfigPath));
    }

    public void Uninstall(bool purge)
    {
        if (RealHost)
        {
            Systemctl(["disable", .. Units]);
        }

        foreach (var path in Units.Select(u => Path.Combine(Under(UnitDirectory), u)).Append(Under(BinaryPath)))
        {
            if (File.Exists(path))
            {
                File.Delete(path);
                log.WriteLine(Texts.Removed(path));
            }
        }

        if (RealHost)
        {
            Systemctl("daemon-reload");
        }

        var configDir = Under(ConfigDirectory);
        if (purge && Directory.Exists(configDir))
        {
            Directory.Delete(configDir, recursive: true);
            log.WriteLine(Texts.PurgedConfig(configDir));
        }
        else if (Directory.Exists(configDir))
        {
            log.WriteLine(Texts.KeptConfigDirectory(configDir));
        }

        log.WriteLine(Texts.TableStays);
    }

    /// <summary>
    /// The packaged sample with a fresh random sequence (<paramref name="next"/> as in
    /// <see cref="Starter.RandomSequence"/>): the packaged one is printed in the documentation,
    /// and every installation would otherwise share it.
    /// </summary>
    public static string SampleConfig(Func<int, int, int> next)
    {
        var steps = Starter.RandomSequence("ssh", "22/tcp", next);
        var sample = Resource("sample/nftknock.yaml");
        var line = sample.Split('\n').Single(l => l.TrimStart().StartsWith("sequence:", StringComparison.Ordinal));
        var indent = line[..(line.Length - line.TrimStart().Length)];
        return sample
            .Replace(line, $"{indent}sequence: [{string.Join(", ", steps)}]", StringComparison.Ordinal)
            .Replace(SampleWarning, "# nftknock install drew this sequence at random for this host.\n", StringComparison.Ordinal);
    }

    private const string SampleWarning =
        "# CHANGE THE SEQUENCE before the first apply: everyone who has read this sample knows it.\n"
        + "# (nftknock init writes a config with a fresh random sequence.)\n";

    private static void SetMode(string path, UnixFileMode mode)
    {
        // install refuses to run on Windows (InstallCommand); the check here only satisfies the analyser.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    public static string Resource(string name)
    {
        using var stream = typeof(Installer).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"resource {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private void Systemctl(params IReadOnlyList<string> args)
    {
        // Only where systemd runs: elsewhere (containers, this kind of test host) there is nothing to tell.
        if (!Directory.Exists("/run/systemd/system"))
        {
            return;
        }

        try
        {
            using var process = Process.Start("systemctl", args);
            process.WaitForExit(30_000);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            log.WriteLine(Texts.SystemctlFailed(args, e.Message));
        }
    }
}
