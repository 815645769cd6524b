using Predictor.Cli;

return await PredictorCli.InvokeAsync(args).ConfigureAwait(false);
