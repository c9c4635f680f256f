#ifndef OMS_CRABBITMQ_SHIM_H
#define OMS_CRABBITMQ_SHIM_H

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>

/* amqp_login_with_properties is variadic (SASL arguments), which Swift cannot
 * call; this fixes the PLAIN mechanism and its two arguments. */
static inline amqp_rpc_reply_t oms_amqp_login_plain(
    amqp_connection_state_t state, const char *vhost, int frame_max,
    int heartbeat, const amqp_table_t *client_properties,
    const char *user, const char *password) {
  return amqp_login_with_properties(state, vhost, 0, frame_max, heartbeat,
                                    client_properties, AMQP_SASL_METHOD_PLAIN,
                                    user, password);
}

#endif
