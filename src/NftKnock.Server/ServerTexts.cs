namespace NftKnock.Server;

/// <summary>
/// Every sentence the server edge says to a person: the doctor's findings and fixes
/// (<c>ServerTexts.Doctor.cs</c>) and how a guarded apply ended (<c>ServerTexts.Safety.cs</c>).
/// nft script text, file formats and programmer errors are not here.
/// </summary>
public static partial class ServerTexts
{
}
