using NftKnock.Cli;

return await NftKnockApp.RunAsync(args, CliContext.Console());
