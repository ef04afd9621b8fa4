using NftKnock.Core.Config;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;

namespace NftKnock.Server.Doctor;

/// <summary>No door may knock with a sequence from nftknock's documentation (warning NK104, as check says).</summary>
public static class PublicSequenceCheck
{
    /// <summary>The check's name.</summary>
    public const string Name = "sequences";

    /// <summary>Warns about each door whose sequence is printed in the documentation.</summary>
    public static DoctorCheck Check(ServerConfig? config)
    {
        if (config is null)
        {
            return DoctorCheck.Warn(Name, "skipped: no valid config", "Pass the config with -c FILE, or fix the errors nftknock check reports.");
        }

        var doors = PublicSequences.DoorsUsingThem(config);
        var message = Messages.PublicSequence();
        return doors.Count == 0
            ? DoctorCheck.Pass(Name, "no door uses a sequence printed in nftknock's documentation")
            : DoctorCheck.Warn(Name, $"{message.Code}: door {string.Join(", ", doors)} uses a sequence printed in nftknock's documentation, so anyone who has read it can knock", "Use a fresh random sequence: nftknock init -o /tmp/fresh.yaml writes one to copy from.");
    }
}
