using System.Globalization;

namespace NftKnock.Cli.Demo;

/// <summary>The demo's story, told step by step; every step checks what it claims.</summary>
internal sealed class DemoStory(TextWriter output, CancellationToken cancel)
{
    public const string Config = """
        # The demo's door: SSH hidden behind three knocks, open for 5 seconds.
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [17342/udp, 9121/tcp, 28877/udp]
            open-for: 5s
        """;

    private static readonly string[] Sequence = ["17342/udp", "9121/tcp", "28877/udp"];
    private static readonly string[] WrongOrder = ["9121/tcp", "17342/udp", "28877/udp"];
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);
    private int failures;

    public async Task<int> RunAsync()
    {
        output.WriteLine("nftknock demo: a hidden SSH port, a wrong knock, the right knock, and the door closing again.");
        output.WriteLine("Everything happens in three network namespaces that the demo creates and removes.");
        output.WriteLine();
        await using var net = await DemoNetwork.CreateAsync(cancel);
        Say(1, $"Created a server ({DemoNetwork.ServerAddress}), a laptop ({DemoNetwork.LaptopAddress}) and a stranger ({DemoNetwork.StrangerAddress}).");

        var configPath = Path.Combine(Path.GetTempPath(), $"{net.Server}.yaml");
        await File.WriteAllTextAsync(configPath, Config, cancel);
        try
        {
            var apply = await SelfProcess.RunAsync(net.Server, Step, cancel, "apply", "-c", configPath);
            if (apply.Code != 0)
            {
                throw new DemoException($"nftknock apply failed: {apply.Stderr.Trim()}");
            }
        }
        finally
        {
            File.Delete(configPath);
        }

        Say(2, "On the server, nftknock apply loaded this config into table inet nftknock:");
        foreach (var line in Config.Split('\n'))
        {
            output.WriteLine($"        {line}");
        }

        await StartServiceAsync(net);
        Say(3, "A TCP service listens on the server's port 22.");

        await Expect(net.Laptop, DemoNetwork.ServerAddress, open: false, 4, "The laptop connects to port 22 without knocking");
        await KnockAsync(net.Laptop, WrongOrder);
        await Expect(net.Laptop, DemoNetwork.ServerAddress, open: false, 5, $"The laptop knocks in the wrong order ({string.Join(" ", WrongOrder)})");
        await KnockAsync(net.Laptop, Sequence);
        await Expect(net.Laptop, DemoNetwork.ServerAddress, open: true, 6, $"The laptop knocks {string.Join(" ", Sequence)} (nftknock knock)");
        await Expect(net.Stranger, DemoNetwork.ServerFromStranger, open: false, 7, "At the same time the stranger connects to port 22");

        var status = await SelfProcess.RunAsync(net.Server, Step, cancel, "status");
        Say(8, "nftknock status on the server shows the laptop's grant:");
        foreach (var line in status.Stdout.TrimEnd().Split('\n'))
        {
            output.WriteLine($"        {line}");
        }

        output.WriteLine("     Waiting 6 seconds for the 5-second grant to run out...");
        await Task.Delay(TimeSpan.FromSeconds(6), cancel);
        await Expect(net.Laptop, DemoNetwork.ServerAddress, open: false, 9, "The laptop connects again after the window");

        output.WriteLine();
        output.WriteLine(failures == 0
            ? "Demo passed. The namespaces are removed. Next: docs/configuration.md, then nftknock check -c YOUR.yaml."
            : string.Create(CultureInfo.InvariantCulture, $"Demo FAILED: {failures} step(s) did not behave as described."));
        return failures == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private async Task StartServiceAsync(DemoNetwork net)
    {
        var service = SelfProcess.Start(net.Server, "demo", "serve", "--port", "22");
        net.Track(service);
        var ready = await service.StandardOutput.ReadLineAsync(cancel);
        if (ready != "listening")
        {
            throw new DemoException("the demo service did not start on port 22");
        }
    }

    private async Task KnockAsync(string ns, string[] steps)
    {
        var knock = await SelfProcess.RunAsync(ns, Step, cancel, ["knock", DemoNetwork.ServerAddress, .. steps]);
        if (knock.Code != 0)
        {
            throw new DemoException($"nftknock knock failed: {knock.Stderr.Trim()}");
        }
    }

    private async Task Expect(string ns, string host, bool open, int step, string what)
    {
        var probe = await SelfProcess.RunAsync(ns, Step, cancel, "demo", "probe", host, "22");
        var isOpen = probe.Code == 0;
        var seen = isOpen ? $"connected ({probe.Stdout.Trim()})" : "no answer: the port is hidden";
        var ok = isOpen == open;
        failures += ok ? 0 : 1;
        Say(step, $"{what}: {seen}. {(ok ? "As expected." : "NOT as expected!")}");
    }

    private void Say(int step, string text) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{step}/9] {text}"));
}
