using System.Text.Json;
using System.Text.Json.Nodes;

namespace NftKnock.Integration.Tests.Fleet;

/// <summary>The inventory ansible-playbook reads (JSON, which is YAML): the inventory variables docs/fleet.md documents.</summary>
internal static class FleetInventory
{
    /// <summary>The ssh door's sequence that the controller's profiles know.</summary>
    public static readonly string[] Sequence = ["47113/udp", "23011/tcp", "35807/udp"];

    /// <summary>A sequence the controller's profiles do not know: a config that hides ssh from it.</summary>
    public static readonly string[] Unknown = ["51234/udp", "18777/tcp", "42001/udp"];

    public static string Json(FleetLab lab)
    {
        var key = Path.Join(lab.Home, ".ssh", "id_fleet");
        var knownHosts = Path.Join(lab.Home, ".ssh", "known_hosts");
        var profiles = new JsonObject();
        var servers = new JsonObject();
        for (var i = 1; i <= FleetLab.Hosts.Length; i++)
        {
            var own = lab.ServerDir(i);
            profiles[FleetLab.Hosts[i - 1]] = new JsonObject
            {
                ["address"] = FleetLab.Address(i),
                ["sequence"] = Array(Sequence),
                ["ssh_options"] = new JsonObject
                {
                    ["User"] = "root", ["IdentityFile"] = key, ["UserKnownHostsFile"] = knownHosts,
                    ["StrictHostKeyChecking"] = "accept-new", ["BatchMode"] = "yes", ["ConnectTimeout"] = "20",
                },
            };
            servers[FleetLab.Hosts[i - 1]] = new JsonObject
            {
                ["nftknock_server_config_dir"] = Path.Join(own, "etc"),
                ["nftknock_server_environment"] = new JsonObject
                {
                    ["NFTKNOCK_RUN_DIR"] = Path.Join(own, "run"),
                    ["NFTKNOCK_STATE_DIR"] = Path.Join(own, "state"),
                },
                ["ansible_remote_tmp"] = Path.Join(own, "tmp"),
                ["ansible_async_dir"] = Path.Join(own, "async"),
            };
        }

        var inventory = new JsonObject
        {
            ["all"] = new JsonObject
            {
                ["hosts"] = new JsonObject
                {
                    ["localhost"] = new JsonObject { ["ansible_connection"] = "local", ["ansible_python_interpreter"] = "/usr/bin/python3" },
                },
                ["vars"] = new JsonObject
                {
                    ["nftknock_client_program"] = lab.Wrapper,
                    ["nftknock_client_hosts"] = profiles,
                },
                ["children"] = new JsonObject
                {
                    ["nftknock_servers"] = new JsonObject { ["hosts"] = servers, ["vars"] = ServerVars(lab, key, knownHosts) },
                },
            },
        };
        return inventory.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The lock-out run's extra variables: the ssh door's sequence is one the controller does not know.</summary>
    public static string LockoutJson() => new JsonObject
    {
        ["nftknock_server_doors"] = Doors(Unknown),
        ["nftknock_server_confirm_window"] = 25,
        ["nftknock_server_reconnect_timeout"] = 8,
    }.ToJsonString();

    private static JsonObject ServerVars(FleetLab lab, string key, string knownHosts) => new()
    {
        ["ansible_user"] = "root",
        ["ansible_ssh_private_key_file"] = key,
        ["ansible_python_interpreter"] = "/usr/bin/python3",
        ["nftknock_ssh_common_args"] =
            $"-F /dev/null -o ProxyCommand=\"{lab.Wrapper} connect %h %p\" -o UserKnownHostsFile={knownHosts} -o StrictHostKeyChecking=accept-new -o ConnectTimeout=20",
        ["nftknock_server_binary"] = lab.Wrapper,
        ["nftknock_server_doors"] = Doors(Sequence),
        ["nftknock_server_secrets"] = new JsonObject { ["web"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) },
        ["nftknock_server_confirm_window"] = 60,
        ["nftknock_server_reconnect_timeout"] = 30,
    };

    /// <summary>ssh behind a static door with a short grant, and a rotating door for enrolled clients.</summary>
    private static JsonObject Doors(string[] sequence) => new()
    {
        ["ssh"] = new JsonObject { ["protect"] = Array(["22/tcp"]), ["sequence"] = Array(sequence), ["open-for"] = "2s" },
        ["web"] = new JsonObject
        {
            ["protect"] = Array(["8443/tcp"]),
            // Its knock ports stay clear of both ssh sequences, as check requires (NK066).
            ["rotating"] = new JsonObject { ["secret-file"] = "{{ nftknock_server_config_dir }}/web.secret", ["ports"] = "60000-65000" },
        },
    };

    private static JsonArray Array(string[] items) => new([.. items.Select(i => (JsonNode)JsonValue.Create(i)!)]);
}
