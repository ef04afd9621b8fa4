using NftKnock.Core.Model;

namespace NftKnock.Core.Tests.Model;

public sealed class RotatingSpecTests
{
    public static TheoryData<int, int, int[]> Ranges() => new()
    {
        { 10000, 65000, [] },
        { 10000, 65000, [51820, 51820, 60000, 61000] },
        { 20000, 20299, [20000, 20179, 20250, 20250] },
        { 20000, 20299, [19000, 20010, 20290, 21000] },
        { 20000, 20299, [20100, 20200, 20150, 20160, 20190, 20250] },
        { 20000, 20299, [20200, 20210, 20100, 20110, 20105, 20205] },
        { 20000, 20299, [1, 100, 30000, 30010] },
        { 20000, 20299, [19000, 21000] },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Free_ports_are_the_ports_that_can_be_drawn(int first, int last, int[] exclusions)
    {
        var exclude = exclusions.Chunk(2).Select(e => new PortRange(e[0], e[1], Protocol.Udp)).ToList();
        var spec = RotatingSpec.Default("ssh") with { Ports = new PortRange(first, last, Protocol.Udp), Exclude = exclude };

        var drawable = Enumerable.Range(1, 65535).Count(spec.Allows);

        spec.FreePorts.ShouldBe(drawable);
    }
}
