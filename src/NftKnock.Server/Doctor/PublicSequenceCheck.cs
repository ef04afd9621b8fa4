using NftKnock.Core.Config;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;

namespace NftKnock.Server.Doctor;

/// <summary>No door may knock with a sequence from nftknock's documentation (warning NK104, as check says).</summary>
public static class PublicSequenceCheck
{
    /// <summary>The check's name.</summary>
    public const string Name = ServerTexts.CheckNames.Sequences;

    /// <summary>Warns about each door whose sequence is printed in the documentation.</summary>
    public static DoctorCheck Check(ServerConfig config)
    {
        var doors = PublicSequences.DoorsUsingThem(config);
        var message = Messages.PublicSequence();
        return doors.Count == 0
            ? DoctorCheck.Pass(Name, ServerTexts.SequencesOk)
            : DoctorCheck.Warn(Name, ServerTexts.SequencesPublic(message.Code, doors), ServerTexts.SequencesPublicFix);
    }
}
