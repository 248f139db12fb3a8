/* tests/unit/plugins/ceph/fake_rados.c - a stand-in for librados.so.2 with the entry points the
 * plugin resolves: the config file's first line picks the behaviour ("refuse" fails the connect
 * with ETIMEDOUT, anything else connects); "status" and "osd tree" answer canned JSON, "hang"
 * times out, any other prefix fails with EINVAL. It counts open handles, connects and commands so
 * a test can see each handle shut down and a connection kept; fake_rados_break_connections()
 * makes every connection made so far answer ENOTCONN, as after its monitors went away. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fake_cluster {
    char conf[256];
    int connected;
    int generation; /* fake_rados_break_connections() calls before the connect */
};

/* Read and changed by the test through the fake_rados_* functions. */
static int open_handles;
static int connects;
static int commands;
static int generation;

int fake_rados_open_handles(void) { return open_handles; }
int fake_rados_connects(void) { return connects; }
int fake_rados_commands(void) { return commands; }
void fake_rados_break_connections(void) { ++generation; }

int rados_create2(void **cluster, const char *cluster_name, const char *name, uint64_t flags) {
    (void)flags;
    if (!cluster_name || !name || strcmp(name, "client.admin") != 0) return -EINVAL;
    struct fake_cluster *c = calloc(1, sizeof *c);
    if (!c) return -ENOMEM;
    ++open_handles;
    *cluster = c;
    return 0;
}

int rados_conf_read_file(void *cluster, const char *path) {
    struct fake_cluster *c = cluster;
    FILE *f = fopen(path, "r");
    if (!f) return -ENOENT;
    if (!fgets(c->conf, sizeof c->conf, f)) c->conf[0] = 0;
    fclose(f);
    return 0;
}

int rados_conf_set(void *cluster, const char *option, const char *value) {
    (void)cluster;
    return option && value ? 0 : -EINVAL;
}

int rados_connect(void *cluster) {
    struct fake_cluster *c = cluster;
    if (strncmp(c->conf, "refuse", 6) == 0) return -ETIMEDOUT;
    c->connected = 1;
    c->generation = generation;
    ++connects;
    return 0;
}

void rados_shutdown(void *cluster) {
    free(cluster);
    --open_handles;
}

static void give(const char *text, char **buf, size_t *len) {
    *len = strlen(text);
    *buf = malloc(*len + 1);
    memcpy(*buf, text, *len + 1);
}

int rados_mon_command(void *cluster, const char **cmd, size_t cmdlen, const char *inbuf, size_t inbuflen,
                      char **outbuf, size_t *outbuflen, char **outs, size_t *outslen) {
    struct fake_cluster *c = cluster;
    (void)inbuf;
    (void)inbuflen;
    *outbuf = NULL;
    *outs = NULL;
    *outbuflen = *outslen = 0;
    ++commands;
    if (!c->connected || c->generation != generation || cmdlen != 1) return -ENOTCONN;
    if (strstr(cmd[0], "\"prefix\":\"hang\"")) return -ETIMEDOUT;
    if (strstr(cmd[0], "\"prefix\":\"status\"")) {
        give("{\"fsid\":\"f\",\"health\":{\"status\":\"HEALTH_OK\",\"checks\":{}},\"quorum_names\":[\"m1\"],"
             "\"monmap\":{\"num_mons\":1},\"osdmap\":{\"num_osds\":1,\"num_up_osds\":1,\"num_in_osds\":1},"
             "\"mgrmap\":{\"available\":true}}",
             outbuf, outbuflen);
        return 0;
    }
    if (strstr(cmd[0], "\"prefix\":\"osd tree\"")) {
        give("{\"nodes\":[{\"id\":0,\"name\":\"osd.0\",\"type\":\"osd\",\"status\":\"up\",\"reweight\":1}]}", outbuf,
             outbuflen);
        return 0;
    }
    give("command not known", outs, outslen);
    return -EINVAL;
}

void rados_buffer_free(char *buf) { free(buf); }
