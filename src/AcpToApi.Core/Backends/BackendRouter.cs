namespace AcpToApi.Backends;

/// <summary>
/// Routes <c>&lt;backend&gt;/&lt;model&gt;</c> ids by their first segment. Ids without a slash go to the
/// default backend (kilo). An unknown prefix is a 404 naming the known prefixes.
/// </summary>
internal sealed class BackendRouter : IAsyncDisposable
{
    public const string DefaultPrefix = "kilo";

    private readonly Dictionary<string, BackendRegistration> _byPrefix;
    private int _disposed;

    public BackendRouter(IEnumerable<BackendRegistration> registrations, string defaultPrefix = DefaultPrefix)
    {
        _byPrefix = new(StringComparer.OrdinalIgnoreCase);
        foreach (var registration in registrations)
        {
            // Later registrations (user configuration) override built-in ones with the same prefix.
            _byPrefix[registration.Prefix] = registration;
        }
        DefaultBackendPrefix = defaultPrefix;
    }

    public string DefaultBackendPrefix { get; }

    public IReadOnlyCollection<BackendRegistration> Registrations => _byPrefix.Values;

    public bool TryGet(string prefix, out BackendRegistration registration) =>
        _byPrefix.TryGetValue(prefix, out registration!);

    /// <summary>
    /// Disposes the backends that own resources (running claude processes, daemon event streams,
    /// auto-launched daemons) at server shutdown. Safe to call more than once.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        foreach (var disposable in _byPrefix.Values.Select(r => r.Backend).OfType<IAsyncDisposable>().Distinct())
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
    }

    public RoutedModel Route(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new ChatBackendException(ChatErrorKind.BadRequest, "The 'model' field is required, e.g. \"echo/hello\".")
            {
                Param = "model",
                Code = "missing_required_parameter",
            };
        }

        var slash = model.IndexOf('/');
        var prefix = slash < 0 ? DefaultBackendPrefix : model[..slash];
        var backendModel = slash < 0 ? model : model[(slash + 1)..];

        if (!_byPrefix.TryGetValue(prefix, out var registration))
        {
            var known = string.Join(", ", _byPrefix.Keys.Order(StringComparer.Ordinal).Select(p => p + "/"));
            throw new ChatBackendException(
                ChatErrorKind.NotFound,
                $"The model '{model}' does not exist: unknown backend prefix '{prefix}/'. Use <backend>/<model> with one of: {known}.")
            {
                Param = "model",
                Code = "model_not_found",
            };
        }

        if (backendModel.Length == 0)
        {
            throw new ChatBackendException(ChatErrorKind.BadRequest, $"The model id '{model}' names no model after '{prefix}/'.")
            {
                Param = "model",
                Code = "model_not_found",
            };
        }

        return new RoutedModel(registration, backendModel);
    }
}
