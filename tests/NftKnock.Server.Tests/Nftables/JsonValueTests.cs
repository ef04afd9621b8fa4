using System.Text;
using NftKnock.Server.Nftables;

namespace NftKnock.Server.Tests.Nftables;

/// <summary>Whole values read by the one JSON reader, as the foreign ruleset reader takes rules' expressions.</summary>
public sealed class JsonValueTests
{
    private static JsonValue Parse(string json) => JsonValue.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Reads_objects_arrays_strings_numbers_and_literals_in_the_order_written()
    {
        var value = Parse("""{"match": {"op": "!=", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"set": [22, {"range": [6000, 6100]}, "ssh"]}}, "b": [true, false, null], "n": -7}""");

        value.Properties.Select(p => p.Key).ShouldBe(["match", "b", "n"]);
        var match = value.Get("match");
        match.Text("op").ShouldBe("!=");
        match.Get("left").Get("payload").Text("field").ShouldBe("dport");
        var set = match.Get("right").Get("set").Items;
        set[0].GetInt32().ShouldBe(22);
        set[1].Get("range").Items.Select(i => i.GetInt32()).ShouldBe([6000, 6100]);
        set[2].GetString().ShouldBe("ssh");
        value.Get("b").Items.Select(i => i.Kind).ShouldBe([JsonKind.True, JsonKind.False, JsonKind.Null]);
        value.Get("n").GetInt32().ShouldBe(-7);
    }

    [Fact]
    public void Strings_with_escapes_are_read_as_the_text_they_stand_for()
    {
        var value = Parse("""{"comment": "a \"quoted\" \\ word\u00e9\n", "plain": "x"}""");

        value.Text("comment").ShouldBe("a \"quoted\" \\ word\u00e9\n");
        value.Text("plain").ShouldBe("x");
    }

    [Fact]
    public void What_a_value_does_not_hold_is_absent_not_an_error_until_it_is_required()
    {
        var value = Parse("""{"n": 1, "s": "t", "big": 99999999999}""");

        value.Text("n").ShouldBeNull();
        value.Text("missing").ShouldBeNull();
        value.Has("s").ShouldBeTrue();
        value.Has("missing").ShouldBeFalse();
        value.Get("s").TryGetInt32(out _).ShouldBeFalse();
        value.Get("big").TryGetInt32(out _).ShouldBeFalse();
        value.Items.ShouldBeEmpty();
        Should.Throw<FormatException>(() => value.Get("missing"));
        Should.Throw<FormatException>(() => value.Get("n").GetString());
        Should.Throw<FormatException>(() => value.Get("big").GetInt32());
    }

    [Theory]
    [InlineData("")]
    [InlineData("""{"a": 1""")]
    [InlineData("""{"a": "b": 1}""")]
    [InlineData("""[1, "a": 2]""")]
    [InlineData("""{1: 2}""")]
    [InlineData("""{"a": 1} {"b": 2}""")]
    [InlineData("""{"a": nul}""")]
    [InlineData("""{"a": "unterminated}""")]
    public void Broken_json_is_a_format_error(string json) =>
        Should.Throw<FormatException>(() => Parse(json));

    [Fact]
    public void Nesting_is_bounded_so_a_hostile_listing_cannot_exhaust_the_stack()
    {
        string Nested(int depth) => new string('[', depth) + new string(']', depth);

        Parse(Nested(JsonValue.MaxDepth)).Kind.ShouldBe(JsonKind.Array);
        Should.Throw<FormatException>(() => Parse(Nested(JsonValue.MaxDepth + 1)));
        Should.Throw<FormatException>(() => Parse(Nested(100_000)));
    }

    [Fact]
    public void Read_takes_one_property_s_value_and_leaves_the_scanner_to_go_on_streaming()
    {
        var reader = new JsonScanner("""{"skip": [1, 2], "rule": {"expr": [{"accept": null}]}, "after": "yes"}"""u8);
        reader.Read();
        reader.Read();
        reader.Skip();
        reader.Read();
        reader.ValueTextEquals("rule"u8).ShouldBeTrue();

        var rule = JsonValue.Read(ref reader);

        rule.Get("expr").Items.ShouldHaveSingleItem().Has("accept").ShouldBeTrue();
        reader.TokenType.ShouldBe(JsonToken.EndObject);
        reader.Read().ShouldBeTrue();
        reader.GetString().ShouldBe("after");
        reader.Read().ShouldBeTrue();
        reader.GetString().ShouldBe("yes");
    }
}
