/*
 * amqp-reference: throughput reference for the Swift AMQP client benchmark,
 * written in plain C on rabbitmq-c (librabbitmq 0.11).
 *
 * It performs the same operations as the Swift benchmark:
 *   1. connect (TCP, SASL PLAIN, credentials and vhost from the URL),
 *      open channel 1, confirm.select;
 *   2. delete the queue on a throwaway channel 2 (errors ignored), declare it
 *      durable with x-queue-type=quorum, purge it;
 *   3. publish N persistent messages in windows of W, waiting after each
 *      window until the broker has confirmed all of it  -> publish_per_s;
 *   4. basic.qos P, basic.consume (manual acks), receive N messages, ack with
 *      multiple=1 every A deliveries and once more for the remainder
 *                                                       -> consume_per_s;
 *   5. delete the queue, close channel 1 and the connection;
 *   6. print one JSON line on stdout.
 *
 * Build:
 *   gcc -O2 -Wall -Wextra -o amqp-reference amqp-reference.c \
 *       $(pkg-config --cflags --libs librabbitmq)
 *
 * Usage:
 *   amqp-reference [--url URL] [--messages N] [--size BYTES] [--window W]
 *                  [--prefetch P] [--ack-every A] [--queue NAME]
 *
 * Errors go to stderr, naming the operation and the broker's reply or the
 * library's error string; the exit status is then 1.
 */

#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>

#define PROG "amqp-reference"

static const amqp_channel_t CH = 1;      /* the benchmark channel */
static const amqp_channel_t CH_DEL = 2;  /* throwaway channel for the initial delete */

/* ------------------------------------------------------------------------ */
/* errors                                                                    */

static void die(const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, PROG ": ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

/* Describe a channel.close / connection.close method, or any other method. */
static void describe_method(char *buf, size_t len, const amqp_method_t *m) {
    if (m->id == AMQP_CHANNEL_CLOSE_METHOD && m->decoded != NULL) {
        const amqp_channel_close_t *c = m->decoded;
        snprintf(buf, len, "broker closed the channel: %u %.*s",
                 (unsigned)c->reply_code, (int)c->reply_text.len,
                 (const char *)c->reply_text.bytes);
    } else if (m->id == AMQP_CONNECTION_CLOSE_METHOD && m->decoded != NULL) {
        const amqp_connection_close_t *c = m->decoded;
        snprintf(buf, len, "broker closed the connection: %u %.*s",
                 (unsigned)c->reply_code, (int)c->reply_text.len,
                 (const char *)c->reply_text.bytes);
    } else {
        snprintf(buf, len, "unexpected method %s (0x%08" PRIx32 ")",
                 amqp_method_name(m->id), (uint32_t)m->id);
    }
}

/* Die unless an RPC reply is normal. */
static void check_rpc(amqp_rpc_reply_t r, const char *op) {
    char buf[512];
    switch (r.reply_type) {
    case AMQP_RESPONSE_NORMAL:
        return;
    case AMQP_RESPONSE_NONE:
        die("%s: no reply (missing RPC reply type)", op);
        break;
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
        die("%s: %s", op, amqp_error_string2(r.library_error));
        break;
    case AMQP_RESPONSE_SERVER_EXCEPTION:
        describe_method(buf, sizeof buf, &r.reply);
        die("%s: %s", op, buf);
        break;
    }
    die("%s: unknown reply type %d", op, (int)r.reply_type);
}

/* Die unless a library status code is AMQP_STATUS_OK. */
static void check_status(int status, const char *op) {
    if (status != AMQP_STATUS_OK)
        die("%s: %s", op, amqp_error_string2(status));
}

/* Die on a frame that arrived where none (or another one) was expected. */
static void die_unexpected_frame(const amqp_frame_t *f, const char *op) {
    char buf[512];
    if (f->frame_type == AMQP_FRAME_METHOD) {
        describe_method(buf, sizeof buf, &f->payload.method);
        die("%s: %s (channel %u)", op, buf, (unsigned)f->channel);
    }
    die("%s: unexpected frame type %u on channel %u", op,
        (unsigned)f->frame_type, (unsigned)f->channel);
}

/* ------------------------------------------------------------------------ */
/* options                                                                   */

struct options {
    const char *url;
    uint64_t messages;
    uint64_t size;
    uint64_t window;
    uint64_t prefetch;
    uint64_t ack_every;
    const char *queue;
};

static void usage(void) {
    fprintf(stderr,
            "usage: " PROG " [--url URL] [--messages N] [--size BYTES] [--window W]\n"
            "                      [--prefetch P] [--ack-every A] [--queue NAME]\n"
            "defaults: --url amqp://guest:guest@127.0.0.1:5672/%%2F --messages 50000\n"
            "          --size 600 --window 500 --prefetch 500 --ack-every 100\n"
            "          --queue bench.clients.c\n");
}

static uint64_t parse_uint(const char *name, const char *s, uint64_t min, uint64_t max) {
    char *end = NULL;
    unsigned long long v;
    if (s[0] == '\0' || s[0] == '-' || s[0] == '+')
        die("%s: not a non-negative integer: '%s'", name, s);
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0')
        die("%s: not a non-negative integer: '%s'", name, s);
    if (v < min || v > max)
        die("%s: %s is out of range [%" PRIu64 ", %" PRIu64 "]", name, s, min, max);
    return (uint64_t)v;
}

static void parse_args(int argc, char **argv, struct options *o) {
    int i;
    o->url = "amqp://guest:guest@127.0.0.1:5672/%2F";
    o->messages = 50000;
    o->size = 600;
    o->window = 500;
    o->prefetch = 500;
    o->ack_every = 100;
    o->queue = "bench.clients.c";

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage();
            exit(0);
        }
        if (i + 1 >= argc) {
            usage();
            die("%s: missing value (or unknown option)", a);
        }
        v = argv[++i];
        if (strcmp(a, "--url") == 0)
            o->url = v;
        else if (strcmp(a, "--messages") == 0)
            o->messages = parse_uint(a, v, 1, UINT64_C(1) << 32);
        else if (strcmp(a, "--size") == 0)
            o->size = parse_uint(a, v, 0, UINT64_C(128) << 20);
        else if (strcmp(a, "--window") == 0)
            o->window = parse_uint(a, v, 1, UINT64_C(1) << 32);
        else if (strcmp(a, "--prefetch") == 0)
            o->prefetch = parse_uint(a, v, 0, UINT16_MAX);
        else if (strcmp(a, "--ack-every") == 0)
            o->ack_every = parse_uint(a, v, 1, UINT64_C(1) << 32);
        else if (strcmp(a, "--queue") == 0)
            o->queue = v;
        else {
            usage();
            die("unknown option '%s'", a);
        }
    }
    if (o->queue[0] == '\0' || strlen(o->queue) > 255)
        die("--queue: the name must be 1 to 255 bytes long");
}

/* ------------------------------------------------------------------------ */
/* time                                                                      */

static double now_s(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        die("clock_gettime(CLOCK_MONOTONIC): %s", strerror(errno));
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------------ */
/* publisher confirms                                                        */

/* Confirm state of every delivery tag 1..published: 0 pending, 1 acked,
 * 2 nacked. `lowest` is the lowest tag still pending. */
struct confirms {
    unsigned char *state;
    uint64_t published;
    uint64_t lowest;
    uint64_t acked;
    uint64_t nacked;
};

static void settle(struct confirms *c, uint64_t tag, int multiple, int nack, const char *what) {
    uint64_t t, from;
    if (tag == 0 || tag > c->published)
        die("publisher confirms: %s for delivery tag %" PRIu64
            " but only %" PRIu64 " messages were published", what, tag, c->published);
    from = multiple ? c->lowest : tag;
    for (t = from; t <= tag; t++) {
        if (c->state[t] == 0) {
            c->state[t] = nack ? 2 : 1;
            if (nack)
                c->nacked++;
            else
                c->acked++;
        }
    }
    while (c->lowest <= c->published && c->state[c->lowest] != 0)
        c->lowest++;
}

/* Read frames until every published message is confirmed (acked or nacked). */
static void await_confirms(amqp_connection_state_t conn, struct confirms *c) {
    while (c->acked + c->nacked < c->published) {
        amqp_frame_t f;
        int st;

        amqp_maybe_release_buffers(conn);
        st = amqp_simple_wait_frame(conn, &f);
        check_status(st, "waiting for publisher confirms");
        if (f.frame_type != AMQP_FRAME_METHOD || f.channel != CH)
            die_unexpected_frame(&f, "waiting for publisher confirms");
        if (f.payload.method.id == AMQP_BASIC_ACK_METHOD) {
            const amqp_basic_ack_t *a = f.payload.method.decoded;
            settle(c, a->delivery_tag, a->multiple, 0, "basic.ack");
        } else if (f.payload.method.id == AMQP_BASIC_NACK_METHOD) {
            const amqp_basic_nack_t *n = f.payload.method.decoded;
            settle(c, n->delivery_tag, n->multiple, 1, "basic.nack");
        } else {
            die_unexpected_frame(&f, "waiting for publisher confirms");
        }
    }
}

/* ------------------------------------------------------------------------ */

/* Delete the queue on a channel of its own, ignoring any channel-level error
 * (such as 404 NOT_FOUND) so that channel 1 is not affected. */
static void delete_queue_if_exists(amqp_connection_state_t conn, amqp_bytes_t queue) {
    amqp_rpc_reply_t r;

    amqp_channel_open(conn, CH_DEL);
    check_rpc(amqp_get_rpc_reply(conn), "channel.open (channel 2)");

    amqp_queue_delete(conn, CH_DEL, queue, 0, 0);
    r = amqp_get_rpc_reply(conn);
    if (r.reply_type == AMQP_RESPONSE_NORMAL) {
        check_rpc(amqp_channel_close(conn, CH_DEL, AMQP_REPLY_SUCCESS),
                  "channel.close (channel 2)");
    } else if (r.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION &&
               r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        /* The broker closed channel 2; acknowledge that and carry on. */
        amqp_channel_close_ok_t ok;
        memset(&ok, 0, sizeof ok);
        check_status(amqp_send_method(conn, CH_DEL, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok),
                     "channel.close-ok (channel 2, after the initial queue.delete)");
    } else {
        /* connection-level or library failure: fatal */
        check_rpc(r, "queue.delete (initial, channel 2)");
    }
}

int main(int argc, char **argv) {
    struct options o;
    struct amqp_connection_info ci;
    char *url_copy;
    amqp_connection_state_t conn;
    amqp_socket_t *sock;
    amqp_bytes_t queue;
    amqp_table_entry_t qarg;
    amqp_table_t qargs;
    amqp_basic_properties_t props;
    amqp_bytes_t body;
    struct confirms conf;
    amqp_basic_consume_ok_t *cok;
    double t0, t1, publish_per_s, consume_per_s;
    uint64_t i, received, unacked, last_tag;
    int st;

    parse_args(argc, argv, &o);

    /* --- 1. connect, log in, channel 1, confirm.select ------------------- */
    url_copy = strdup(o.url);
    if (url_copy == NULL)
        die("out of memory");
    amqp_default_connection_info(&ci);
    st = amqp_parse_url(url_copy, &ci);
    if (st != AMQP_STATUS_OK)
        die("--url '%s': %s", o.url, amqp_error_string2(st));
    if (ci.ssl)
        die("--url '%s': amqps is not supported by this benchmark", o.url);

    conn = amqp_new_connection();
    if (conn == NULL)
        die("amqp_new_connection: out of memory");
    sock = amqp_tcp_socket_new(conn);
    if (sock == NULL)
        die("amqp_tcp_socket_new: out of memory");
    st = amqp_socket_open(sock, ci.host, ci.port);
    if (st != AMQP_STATUS_OK)
        die("connect to %s:%d: %s", ci.host, ci.port, amqp_error_string2(st));

    check_rpc(amqp_login(conn, ci.vhost, 0 /* channel_max: broker's */,
                         AMQP_DEFAULT_FRAME_SIZE, 0 /* no heartbeats */,
                         AMQP_SASL_METHOD_PLAIN, ci.user, ci.password),
              "login");

    amqp_channel_open(conn, CH);
    check_rpc(amqp_get_rpc_reply(conn), "channel.open");
    amqp_confirm_select(conn, CH);
    check_rpc(amqp_get_rpc_reply(conn), "confirm.select");

    /* --- 2. queue: delete (channel 2), declare quorum, purge -------------- */
    queue = amqp_cstring_bytes(o.queue);
    delete_queue_if_exists(conn, queue);

    qarg.key = amqp_cstring_bytes("x-queue-type");
    qarg.value.kind = AMQP_FIELD_KIND_UTF8;
    qarg.value.value.bytes = amqp_cstring_bytes("quorum");
    qargs.num_entries = 1;
    qargs.entries = &qarg;
    amqp_queue_declare(conn, CH, queue, 0 /* passive */, 1 /* durable */,
                       0 /* exclusive */, 0 /* auto_delete */, qargs);
    check_rpc(amqp_get_rpc_reply(conn), "queue.declare");
    amqp_queue_purge(conn, CH, queue);
    check_rpc(amqp_get_rpc_reply(conn), "queue.purge");
    amqp_maybe_release_buffers(conn);

    /* --- 3. publish in confirmed windows ---------------------------------- */
    body.len = (size_t)o.size;
    body.bytes = malloc(body.len > 0 ? body.len : 1);
    if (body.bytes == NULL)
        die("out of memory (message body)");
    memset(body.bytes, 'x', body.len);
    if (body.len >= 2) { /* a JSON string literal */
        ((char *)body.bytes)[0] = '"';
        ((char *)body.bytes)[body.len - 1] = '"';
    }

    memset(&props, 0, sizeof props);
    props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
    props.content_type = amqp_cstring_bytes("application/json");
    props.delivery_mode = 2; /* persistent */

    memset(&conf, 0, sizeof conf);
    conf.state = calloc((size_t)o.messages + 2, 1);
    if (conf.state == NULL)
        die("out of memory (confirm tracking)");
    conf.lowest = 1;

    t0 = now_s();
    while (conf.published < o.messages) {
        uint64_t n = o.messages - conf.published;
        if (n > o.window)
            n = o.window;
        for (i = 0; i < n; i++) {
            st = amqp_basic_publish(conn, CH, amqp_empty_bytes, queue,
                                    0 /* mandatory */, 0 /* immediate */, &props, body);
            check_status(st, "basic.publish");
            conf.published++;
        }
        await_confirms(conn, &conf);
        if (conf.nacked > 0)
            die("publish: the broker nacked %" PRIu64 " of %" PRIu64
                " published messages (basic.nack)", conf.nacked, conf.published);
    }
    t1 = now_s();
    publish_per_s = (double)o.messages / (t1 - t0);
    free(conf.state);

    /* --- 4. consume with prefetch and multiple acks ----------------------- */
    amqp_basic_qos(conn, CH, 0 /* prefetch_size */, (uint16_t)o.prefetch, 0 /* global */);
    check_rpc(amqp_get_rpc_reply(conn), "basic.qos");

    t0 = now_s();
    cok = amqp_basic_consume(conn, CH, queue, amqp_empty_bytes, 0 /* no_local */,
                             0 /* no_ack */, 0 /* exclusive */, amqp_empty_table);
    check_rpc(amqp_get_rpc_reply(conn), "basic.consume");
    if (cok == NULL)
        die("basic.consume: no consume-ok");

    received = 0;
    unacked = 0;
    last_tag = 0;
    while (received < o.messages) {
        amqp_envelope_t env;
        amqp_rpc_reply_t r;

        amqp_maybe_release_buffers(conn);
        r = amqp_consume_message(conn, &env, NULL, 0);
        if (r.reply_type != AMQP_RESPONSE_NORMAL) {
            if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
                r.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
                /* Something other than basic.deliver: read it to report it. */
                amqp_frame_t f;
                st = amqp_simple_wait_frame(conn, &f);
                check_status(st, "consume: reading an unexpected frame");
                if (f.frame_type == AMQP_FRAME_METHOD &&
                    f.payload.method.id == AMQP_BASIC_CANCEL_METHOD)
                    die("consume: the broker cancelled the consumer after %" PRIu64
                        " of %" PRIu64 " messages", received, o.messages);
                die_unexpected_frame(&f, "consume");
            }
            check_rpc(r, "consume (basic.deliver)");
        }
        if (env.channel != CH)
            die("consume: delivery on unexpected channel %u", (unsigned)env.channel);
        if (env.message.body.len != body.len)
            die("consume: message body is %zu bytes, expected %zu",
                env.message.body.len, body.len);
        last_tag = env.delivery_tag;
        amqp_destroy_envelope(&env);
        received++;
        unacked++;
        if (unacked == o.ack_every) {
            check_status(amqp_basic_ack(conn, CH, last_tag, 1 /* multiple */), "basic.ack");
            unacked = 0;
        }
    }
    if (unacked > 0)
        check_status(amqp_basic_ack(conn, CH, last_tag, 1 /* multiple */), "basic.ack (final)");
    t1 = now_s();
    consume_per_s = (double)o.messages / (t1 - t0);

    /* --- 5. delete the queue, close ---------------------------------------- */
    amqp_maybe_release_buffers(conn);
    amqp_queue_delete(conn, CH, queue, 0, 0);
    check_rpc(amqp_get_rpc_reply(conn), "queue.delete");
    check_rpc(amqp_channel_close(conn, CH, AMQP_REPLY_SUCCESS), "channel.close");
    check_rpc(amqp_connection_close(conn, AMQP_REPLY_SUCCESS), "connection.close");
    st = amqp_destroy_connection(conn);
    check_status(st, "amqp_destroy_connection");
    free(body.bytes);
    free(url_copy);

    /* --- 6. result ----------------------------------------------------------- */
    printf("{\"name\": \"c-rabbitmq\", \"messages\": %" PRIu64 ", \"size\": %" PRIu64
           ", \"window\": %" PRIu64 ", \"prefetch\": %" PRIu64 ", \"ack_every\": %" PRIu64
           ", \"publish_per_s\": %.1f, \"consume_per_s\": %.1f}\n",
           o.messages, o.size, o.window, o.prefetch, o.ack_every,
           publish_per_s, consume_per_s);
    if (fflush(stdout) != 0)
        die("writing the result: %s", strerror(errno));
    return 0;
}
