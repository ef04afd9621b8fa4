namespace NftKnock.Server.Host;

/// <summary>What the kernel says about the system clock.</summary>
public enum ClockState
{
    /// <summary>An NTP daemon keeps the clock in step.</summary>
    Synchronised,

    /// <summary>The kernel reports TIME_ERROR: nothing disciplines the clock.</summary>
    Unsynchronised,

    /// <summary>Not Linux, or the call failed.</summary>
    Unknown,
}
