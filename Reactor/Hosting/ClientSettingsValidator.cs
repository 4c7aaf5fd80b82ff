using Microsoft.Extensions.Options;

namespace ReactiveKv.Hosting;

/// <summary>
/// Checks a registered client's options when the host starts (or when the options are first read): what the
/// configuration could not use, the connection settings every backend shares, and the backend's own checks; every
/// message names the backend, the client and the setting.
/// </summary>
internal sealed class ClientSettingsValidator<TOptions>(string name, string backend, Func<TOptions, IEnumerable<string>>? validate) : IValidateOptions<ClientSettings<TOptions>>
    where TOptions : class, IClientOptions, new()
{
    public ValidateOptionsResult Validate(string? optionsName, ClientSettings<TOptions> settings)
    {
        if ((optionsName ?? Options.DefaultName) != name)
        {
            return ValidateOptionsResult.Skip;
        }

        var prefix = $"{backend} client {ClientRegistration.Describe(name)}: ";
        var problems = settings.Problems.Select(p => prefix + p).ToList();
        if (problems.Count == 0)
        {
            try
            {
                ClientConnectionOptions.From(settings.Options, connectLazily: false).Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                // The message without the value and parameter lines ArgumentOutOfRangeException adds.
                problems.Add(prefix + e.Message.Split(Environment.NewLine)[0]);
            }

            if (validate is not null)
            {
                problems.AddRange(validate(settings.Options).Select(p => prefix + p));
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
