using NftKnock.Core.Config;

namespace NftKnock.Core.Tests.Links;

public class ClientsEditTests
{
    private const string Listed = """
        # Bastion: SSH behind rotating knocks.
        doors:
          ssh:
            protect: [22/tcp]   # sshd
            rotating:
              clients:
                # the people
                - {name: alice, secret-file: /etc/nftknock/alice.secret}
                - name: bob
                  secret-file: /etc/nftknock/bob.secret   # since May

              knocks: 3
        # the end
        """;

    [Fact]
    public void Add_appends_one_line_after_the_last_client_and_leaves_every_other_line_as_it_was()
    {
        var entry = ClientsEdit.Entry("carol", "/etc/nftknock/clients/carol.secret", [("grant-prefix", "{ipv4: 24}")]);
        var result = ClientsEdit.Add(Listed, "ssh", entry);

        result.Problem.ShouldBeNull();
        var lines = Listed.Split('\n').ToList();
        lines.Insert(10, "        - {name: carol, secret-file: /etc/nftknock/clients/carol.secret, grant-prefix: {ipv4: 24}}");
        result.Text.ShouldBe(string.Join('\n', lines));
    }

    [Fact]
    public void Remove_takes_out_exactly_the_lines_of_a_multi_line_client()
    {
        var result = ClientsEdit.Remove(Listed, "ssh", "bob");

        result.Problem.ShouldBeNull();
        var lines = Listed.Split('\n').ToList();
        lines.RemoveRange(8, 2);
        result.Text.ShouldBe(string.Join('\n', lines));
    }

    [Fact]
    public void Add_then_remove_gives_back_the_original_text()
    {
        var added = ClientsEdit.Add(Listed, "ssh", ClientsEdit.Entry("carol", "/x/carol.secret", [])).Text!;
        ClientsEdit.Remove(added, "ssh", "carol").Text.ShouldBe(Listed);
    }

    [Fact]
    public void A_single_secret_file_becomes_a_list_whose_first_client_is_named_after_the_door()
    {
        const string single = """
            doors:
              ssh:
                protect: [22/tcp]
                rotating:
                  secret-file: /etc/nftknock/ssh.secret   # from init
                  knocks: 3

            """;
        var result = ClientsEdit.Add(single, "ssh", ClientsEdit.Entry("alice", "/etc/nftknock/clients/alice.secret", []));

        result.Converted.ShouldBeTrue();
        result.Text.ShouldBe("""
            doors:
              ssh:
                protect: [22/tcp]
                rotating:
                  clients:
                    - {name: ssh, secret-file: /etc/nftknock/ssh.secret}
                    - {name: alice, secret-file: /etc/nftknock/clients/alice.secret}
                  knocks: 3

            """);
        var read = ConfigReader.Read(result.Text!);
        read.IsValid.ShouldBeTrue();
        read.Config!.Doors[0].Rotating!.Clients.Select(c => c.Name).ShouldBe(["ssh", "alice"]);
    }

    [Fact]
    public void A_flow_style_list_is_refused_rather_than_reformatted()
    {
        const string flow = "doors:\n  ssh:\n    protect: [22/tcp]\n    rotating: {clients: [{name: a, secret-file: /a}]}\n";
        var result = ClientsEdit.Add(flow, "ssh", ClientsEdit.Entry("b", "/b", []));

        result.Text.ShouldBeNull();
        result.Problem!.Value.Code.ShouldBe("NK245");
    }

    [Fact]
    public void The_last_client_is_not_removed()
    {
        const string one = "doors:\n  ssh:\n    protect: [22/tcp]\n    rotating:\n      clients:\n        - {name: a, secret-file: /a}\n";
        ClientsEdit.Remove(one, "ssh", "a").Problem!.Value.Text.ShouldBe(
            "'a' is the last client of door 'ssh'; without it the door has no secret. Add another client first, or remove the door from the config.");
    }

    [Fact]
    public void A_value_that_could_add_keys_is_quoted()
    {
        ClientsEdit.Entry("eve", "/tmp/x}, {name: mallory", []).ShouldBe("{name: eve, secret-file: \"/tmp/x}, {name: mallory\"}");
    }
}
