using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Fleet;

/// <summary>Debian's ansible, ansible-lint, cloud-init and OpenSSH, installed through the repository's one dependency script when missing.</summary>
internal static class FleetTools
{
    private static readonly string[] Programs =
        ["/usr/bin/ansible-playbook", "/usr/bin/ansible-lint", "/usr/bin/cloud-init", "/usr/sbin/sshd", "/usr/bin/ssh", "/usr/bin/ssh-keygen"];

    public static async Task EnsureAsync()
    {
        if (Programs.All(File.Exists))
        {
            return;
        }

        (await Proc.RunAsync("bash", [Repo.Path("scripts", "deps.sh")], TimeSpan.FromMinutes(15)))
            .EnsureSuccess("scripts/deps.sh (installs ansible, ansible-lint, cloud-init and openssh-server)");
    }
}
