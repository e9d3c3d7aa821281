using System.Diagnostics;
using System.Collections.Concurrent;
using System.Text;
using MassTransit;
using RabbitMQ.Client;
using VirtualIop.Contracts;

namespace VirtualIop.TestSupport;

/// <summary>
/// A separate bus on a test's virtual host, standing in for the services around the one under test: it publishes
/// events as their outbox relays do, records the event types it is told to (with the broker's MessageId), and can
/// put raw bytes on an exchange as a broken publisher would.
/// <code>
/// await using var probe = await BrokerProbe.Start(broker, "notification-tests-probe", probe => probe.Record&lt;ReminderSent&gt;());
/// await probe.Publish(session);
/// var sent = await probe.WaitFor&lt;ReminderSent&gt;(e => e.SessionId == session.SessionId, count: 1);
/// </code>
/// </summary>
public sealed class BrokerProbe : IAsyncDisposable
{
    readonly Uri broker;
    readonly IBusControl bus;
    readonly ConcurrentQueue<ReceivedMessage<object>> received = new();

    BrokerProbe(Uri broker, string queue, Action<ProbeSubscriptions> subscribe)
    {
        this.broker = broker;
        var (user, password) = RabbitMqBroker.Credentials(broker);
        bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(broker.Host, (ushort)Port(broker), RabbitMqBroker.VirtualHostOf(broker), host =>
            {
                host.Username(user);
                host.Password(password);
                host.PublisherConfirmation = true;
            });
            rabbit.ReceiveEndpoint(queue, endpoint => subscribe(new ProbeSubscriptions(endpoint, received)));
        });
    }

    /// <summary>Starts a probe on <paramref name="broker"/> whose queue receives the event types <paramref name="subscribe"/> records.</summary>
    public static async Task<BrokerProbe> Start(Uri broker, string queue, Action<ProbeSubscriptions> subscribe)
    {
        var probe = new BrokerProbe(broker, queue, subscribe);
        await probe.bus.StartAsync();
        return probe;
    }

    /// <summary>The probe's bus, for code under test that publishes through an <see cref="IBus"/>.</summary>
    public IBus Bus => bus;

    /// <summary>Publishes as another service's outbox relay does: the broker's MessageId is the event's id.</summary>
    public Task Publish<T>(T message) where T : class, IIntegrationEvent =>
        bus.Publish(message, context => context.MessageId = message.EventId);

    /// <summary>Puts a body that is not a valid envelope on a message type's exchange, as a broken publisher would.</summary>
    public async Task PublishRaw(string exchange, string body)
    {
        var (user, password) = RabbitMqBroker.Credentials(broker);
        var factory = new ConnectionFactory
        {
            HostName = broker.Host,
            Port = Port(broker),
            VirtualHost = RabbitMqBroker.VirtualHostOf(broker),
            UserName = user,
            Password = password
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties
        {
            ContentType = "application/vnd.masstransit+json",
            MessageId = Guid.NewGuid().ToString(),
            Persistent = true
        };
        await channel.BasicPublishAsync(exchange, "", mandatory: true, properties, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>The recorded events of type <typeparamref name="T"/> that match, in the order they arrived.</summary>
    public IReadOnlyList<T> Received<T>(Func<T, bool> match) => Messages(match).Select(m => m.Message).ToList();

    /// <summary>Waits until at least <paramref name="count"/> recorded events match, and returns them all.</summary>
    public async Task<IReadOnlyList<T>> WaitFor<T>(Func<T, bool> match, int count) =>
        (await WaitForMessages(match, count)).Select(m => m.Message).ToList();

    /// <summary>As <see cref="WaitFor{T}"/>, with the MessageId each event arrived under.</summary>
    public Task<IReadOnlyList<ReceivedMessage<T>>> WaitForMessages<T>(Func<T, bool> match, int count) =>
        Eventually.Until(() => Task.FromResult(Messages(match)), found => found.Count >= count, $"{count} {typeof(T).Name} event(s) on the broker");

    public ValueTask DisposeAsync() => new(bus.StopAsync());

    IReadOnlyList<ReceivedMessage<T>> Messages<T>(Func<T, bool> match) =>
        received.Where(r => r.Message is T message && match(message)).Select(r => new ReceivedMessage<T>(r.MessageId, (T)r.Message, r.TraceId)).ToList();

    static int Port(Uri broker) => broker.Port > 0 ? broker.Port : 5672;
}

/// <summary>Chooses the event types a <see cref="BrokerProbe"/> records.</summary>
public sealed class ProbeSubscriptions
{
    readonly IReceiveEndpointConfigurator endpoint;
    readonly ConcurrentQueue<ReceivedMessage<object>> received;

    internal ProbeSubscriptions(IReceiveEndpointConfigurator endpoint, ConcurrentQueue<ReceivedMessage<object>> received)
    {
        this.endpoint = endpoint;
        this.received = received;
    }

    /// <summary>Records every <typeparamref name="T"/> published on the probe's virtual host.</summary>
    public ProbeSubscriptions Record<T>() where T : class, IIntegrationEvent
    {
        endpoint.Handler<T>(context =>
        {
            received.Enqueue(new ReceivedMessage<object>(context.MessageId, context.Message, Activity.Current?.TraceId.ToHexString()));
            return Task.CompletedTask;
        });
        return this;
    }
}

/// <summary>
/// An event as the probe received it, with the broker's MessageId and the trace it was consumed in
/// (null unless the test process listens to MassTransit's activities).
/// </summary>
public sealed record ReceivedMessage<T>(Guid? MessageId, T Message, string? TraceId);
