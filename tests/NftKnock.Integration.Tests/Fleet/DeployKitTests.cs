using System.Text.RegularExpressions;
using NftKnock.Testing.Namespaces;
using YamlDotNet.RepresentationModel;

namespace NftKnock.Integration.Tests.Fleet;

/// <summary>The fleet kit under deploy/: the collection's docs and lint, the cloud-init example, the Kubernetes manifest.</summary>
public sealed partial class DeployKitTests
{
    [Theory]
    [InlineData("server")]
    [InlineData("client")]
    public void Role_README_lists_exactly_the_variables_of_its_argument_specs(string role)
    {
        var roleDir = Repo.Path("deploy", "ansible", "roles", role);
        var specs = (YamlMappingNode)Load(Path.Join(roleDir, "meta", "argument_specs.yml"))["argument_specs"]["main"]["options"];
        var readme = File.ReadAllText(Path.Join(roleDir, "README.md"));
        var rows = ReadmeRow().Matches(readme).ToDictionary(m => m.Groups[1].Value, m => (Type: m.Groups[2].Value.Trim(), Default: m.Groups[3].Value.Trim()));

        rows.Keys.Order().ShouldBe(specs.Children.Keys.Select(k => k.ToString()).Order());
        foreach (var (key, value) in specs.Children)
        {
            var spec = (YamlMappingNode)value;
            var row = rows[key.ToString()];
            row.Type.ShouldStartWith(spec["type"].ToString(), customMessage: $"{key}'s type");
            row.Default.ShouldBe(DefaultCell(spec), $"{key}'s default");
        }

        // Every default the role sets is a documented variable.
        var defaults = (YamlMappingNode)Load(Path.Join(roleDir, "defaults", "main.yml"));
        defaults.Children.Keys.Select(k => k.ToString()).ShouldBeSubsetOf(rows.Keys);
    }

    [KernelFact]
    public async Task Ansible_lint_passes_on_the_collection_with_the_production_profile()
    {
        await FleetTools.EnsureAsync();
        var dir = Directory.CreateTempSubdirectory("ansible-lint-");
        try
        {
            // A copy where ansible finds the collection by its name, so lint resolves its roles and module.
            var home = Directory.CreateDirectory(Path.Join(dir.FullName, "ansible_collections", "nftknock")).FullName;
            (await Proc.RunAsync("cp", ["-r", Repo.Path("deploy", "ansible"), Path.Join(home, "nftknock")])).EnsureSuccess("copy");
            var lint = await Proc.RunAsync("env", [
                $"ANSIBLE_COLLECTIONS_PATH={dir.FullName}", "LC_ALL=C.UTF-8", "NO_COLOR=1", $"HOME={dir.FullName}",
                "sh", "-c", $"cd {Path.Join(home, "nftknock")} && ansible-lint --offline --nocolor -p",
            ], TimeSpan.FromMinutes(5));

            lint.ExitCode.ShouldBe(0, lint.Stdout + lint.Stderr);
            (lint.Stdout + lint.Stderr).ShouldContain("Passed with production profile: 0 failure(s), 0 warning(s)");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [KernelFact]
    public async Task Cloud_config_passes_cloud_init_schema_and_a_broken_copy_does_not()
    {
        await FleetTools.EnsureAsync();
        var example = Repo.Path("deploy", "cloud-init", "nftknock.cloud-config.yaml");
        var broken = Path.Join(Path.GetTempPath(), $"ansible-broken-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(example)).Replace("runcmd:", "runcmd: 3\nbootcmd:", StringComparison.Ordinal));
        try
        {
            var good = await Proc.RunAsync("cloud-init", ["schema", "--config-file", example]);
            var bad = await Proc.RunAsync("cloud-init", ["schema", "--config-file", broken]);

            good.ExitCode.ShouldBe(0, good.Stdout + good.Stderr);
            good.Stdout.ShouldContain("Valid cloud-config");
            bad.ExitCode.ShouldNotBe(0);
            (bad.Stdout + bad.Stderr).ShouldContain("runcmd");
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [KernelFact]
    public async Task Kubernetes_manifest_is_valid_against_the_API_schemas_and_a_broken_copy_is_not()
    {
        var script = Repo.Path("deploy", "kubernetes", "validate.sh");
        var broken = Path.Join(Path.GetTempPath(), $"ansible-broken-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(Repo.Path("deploy", "kubernetes", "nftknock-daemonset.yaml")))
            .Replace("hostNetwork: true", "hostNetwork: \"yes\"", StringComparison.Ordinal));
        try
        {
            var good = await Proc.RunAsync("bash", [script], TimeSpan.FromMinutes(5));
            var bad = await Proc.RunAsync("bash", [script, broken], TimeSpan.FromMinutes(5));

            good.ExitCode.ShouldBe(0, good.Stdout + good.Stderr);
            good.Stdout.ShouldContain("valid DaemonSet nftknock");
            bad.ExitCode.ShouldBe(1, bad.Stdout + bad.Stderr);
            bad.Stdout.ShouldContain("hostNetwork must be boolean");
        }
        finally
        {
            File.Delete(broken);
        }
    }

    private static YamlNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents[0].RootNode;
    }

    /// <summary>The README's default column: (required), or the spec's default in backticks, "" and {} as written in YAML.</summary>
    private static string DefaultCell(YamlMappingNode spec)
    {
        if (spec.Children.TryGetValue("required", out var required) && required.ToString() == "true")
        {
            return "(required)";
        }

        return spec["default"] switch
        {
            YamlMappingNode { Children.Count: 0 } => "`{}`",
            YamlScalarNode { Value: "" } => "`\"\"`",
            var other => $"`{other}`",
        };
    }

    [GeneratedRegex(@"^\| `([a-z_]+)` \| ([^|]+) \| ([^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex ReadmeRow();
}
