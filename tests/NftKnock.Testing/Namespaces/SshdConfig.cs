namespace NftKnock.Testing.Namespaces;

/// <summary>The sshd_config of a test sshd: key login only, everything it writes under <c>dir</c>.</summary>
public static class SshdConfig
{
    /// <summary>The config text for an sshd listening on <paramref name="listen"/> (port 22), keys and pid file in <paramref name="dir"/>, with <paramref name="extra"/> lines after.</summary>
    public static string Text(string dir, IEnumerable<string> listen, params string[] extra) =>
        string.Concat(
            "Port 22\n",
            string.Concat(listen.Select(a => $"ListenAddress {a}\n")),
            $"""
            HostKey {dir}/host_key
            AuthorizedKeysFile {dir}/authorized_keys
            PidFile {dir}/sshd.pid
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            Subsystem sftp /usr/lib/openssh/sftp-server

            """,
            string.Concat(extra.Select(line => line + "\n")));
}
