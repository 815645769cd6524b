using Predictor.Cli;

return await PredictorCli.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
