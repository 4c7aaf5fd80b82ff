namespace ReactiveKv;

/// <summary>What a <see cref="ClientProtocol{TRequest}"/> tells the service that owns it. Loop thread only.</summary>
internal interface IClientProtocolOwner<TRequest>
    where TRequest : ClientRequest
{
    void Made(ClientProtocol<TRequest> protocol);

    void Answered(ClientProtocol<TRequest> protocol);

    void Lost(ClientProtocol<TRequest> protocol, Exception reason);

    void SendNow(ClientProtocol<TRequest> protocol, TRequest request);
}
