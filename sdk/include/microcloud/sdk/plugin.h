/* microcloud/sdk/plugin.h - the binary contract between microcloudd and a component plugin.
 *
 * This C header is the whole ABI. Everything crossing it is plain C: integers, function
 * pointers and UTF-8 JSON text. Memory never changes owner: text handed to the other side is
 * only borrowed for the duration of the call, and results travel back through host callbacks.
 *
 * Compatibility rule: the host loads a plugin when the majors are equal and the plugin's minor
 * is not above the host's. New fields are only ever appended to the structs below; a reader
 * tells which fields exist from struct_size (offsetof(field) + sizeof(field) <= struct_size).
 */
#ifndef MICROCLOUD_SDK_PLUGIN_H
#define MICROCLOUD_SDK_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** ABI major of this header: a plugin is only loaded by a host with the same major. Since ABI 1.0. */
#define MC_ABI_MAJOR 1
/** ABI minor of this header: grows when fields are appended. Since ABI 1.0. */
#define MC_ABI_MINOR 0

/** Name of the one symbol a plugin exports. Since ABI 1.0. */
#define MC_ENTRY_SYMBOL "microcloud_plugin_entry"

/** Marks the entry symbol as exported from a library built with hidden visibility. Since ABI 1.0. */
#if defined(__GNUC__)
#define MC_EXPORT __attribute__((visibility("default")))
#else
#define MC_EXPORT
#endif

/** Outcome of a hook or a host service. Since ABI 1.0. */
typedef int32_t mc_status;
/** Success. Since ABI 1.0. */
#define MC_STATUS_OK 0
/** Failure; details were given through mc_host_api.fail (hooks) or the output (services). Since ABI 1.0. */
#define MC_STATUS_ERROR 1

/** Log severities accepted by mc_host_api.log. Since ABI 1.0. */
typedef enum mc_log_level { MC_LOG_DEBUG = 0, MC_LOG_INFO = 1, MC_LOG_WARN = 2, MC_LOG_ERROR = 3 } mc_log_level;

/** Receives text from the other side; the data is only valid during the call. Since ABI 1.0. */
typedef void (*mc_write_fn)(void* ctx, const char* data, size_t len);

/** One hook invocation, created and owned by the host. Since ABI 1.0. */
typedef struct mc_call {
    /** sizeof(mc_call) as the host knows it. Since ABI 1.0. */
    uint32_t struct_size;
    uint32_t reserved0;
    /** The hook's request as UTF-8 JSON, NUL-terminated. Since ABI 1.0. */
    const char* input;
    /** Length of input in bytes, without the NUL. Since ABI 1.0. */
    size_t input_len;
    /** Host-private; a plugin must not touch it. Since ABI 1.0. */
    void* host_data;
} mc_call;

/** Services the host offers to a plugin. Every function is called with the current call.
 *  Since ABI 1.0. */
typedef struct mc_host_api {
    /** The host's ABI version and the size of this table as the host built it. Since ABI 1.0. */
    uint32_t abi_major;
    uint32_t abi_minor;
    uint32_t struct_size;
    uint32_t reserved0;

    /** Hands the hook's successful result (UTF-8 JSON) to the host; the last call wins.
     *  Since ABI 1.0. */
    void (*reply)(mc_call* call, const char* json, size_t len);
    /** Reports the hook's failure: a stable snake_case code, a message for humans and optional
     *  JSON details (may be NULL). Since ABI 1.0. */
    void (*fail)(mc_call* call, const char* code, const char* message, const char* details_json);
    /** Writes a line into the host's log, tagged with the plugin and hook. Since ABI 1.0. */
    void (*log)(mc_call* call, mc_log_level level, const char* message);
    /** Reports progress of a long step; total may be 0 when unknown. Since ABI 1.0. */
    void (*progress)(mc_call* call, const char* step, uint64_t done, uint64_t total);
    /** Non-zero once the operation the hook belongs to was cancelled. Since ABI 1.0. */
    int32_t (*cancelled)(mc_call* call);
    /** Runs a command. Request JSON: {"argv":[...], "env":{...}, "stdin":"", "timeout_ms":N}.
     *  Output JSON: {"exit_code":N, "stdout":"", "stderr":"", "timed_out":bool} on success, or
     *  {"code":"", "message":""} when the command could not be started. Since ABI 1.0.
     *  Optional request key "cache":"while_program_unchanged" (a hint within ABI 1.0: a host
     *  that does not know it runs the command): the host may answer from an earlier run of the
     *  same argv, env and stdin that exited 0, while argv[0] (found as exec would) is the same
     *  unchanged file; such an answer carries "cached":true. */
    mc_status (*run_command)(mc_call* call, const char* request_json, mc_write_fn out, void* out_ctx);
    /** Sends one HTTP request over a unix socket. Request JSON: {"socket":"", "method":"",
     *  "path":"", "body":"", "headers":{...}, "timeout_ms":N}. Output JSON: {"status":N,
     *  "body":"", "headers":{...}} or {"code":"", "message":""} when no answer came.
     *  Since ABI 1.0. */
    mc_status (*http_request)(mc_call* call, const char* request_json, mc_write_fn out, void* out_ctx);
    /** Writes this member's system facts (as GET /1.0/system shows them) as JSON. Since ABI 1.0. */
    mc_status (*member_facts)(mc_call* call, mc_write_fn out, void* out_ctx);
} mc_host_api;

/** A lifecycle hook: reads call->input, answers through host->reply or host->fail. The host
 *  never runs two hooks of one instance at the same time. Every hook's input (a JSON object)
 *  carries "member": {"name": this member's name, "state_dir": microcloudd's state directory,
 *  "plugin_dir": a directory of this plugin's own on this member, kept across restarts and
 *  upgrades, mode 0700 (sent from MicroCloud 0.2 on)}. Since ABI 1.0. */
typedef mc_status (*mc_hook_fn)(void* instance, mc_call* call);

/** What a plugin's entry symbol returns. The first three fields never move. Since ABI 1.0. */
typedef struct mc_plugin_descriptor {
    /** MC_ABI_MAJOR the plugin was built with. Since ABI 1.0. */
    uint32_t abi_major;
    /** MC_ABI_MINOR the plugin was built with. Since ABI 1.0. */
    uint32_t abi_minor;
    /** sizeof(mc_plugin_descriptor) as the plugin was built. Since ABI 1.0. */
    uint32_t struct_size;
    uint32_t reserved0;

    /** Unique plugin id; must equal the manifest's "id". Since ABI 1.0. */
    const char* id;
    /** The plugin's own version (semantic versioning). Since ABI 1.0. */
    const char* version;

    /** Creates an instance. config_json is the plugin's section of the daemon configuration
     *  (a JSON object). On failure returns NULL and writes a message to err. Since ABI 1.0. */
    void* (*create)(const mc_host_api* host, const char* config_json, mc_write_fn err, void* err_ctx);
    /** Destroys an instance made by create. Since ABI 1.0. */
    void (*destroy)(void* instance);

    /** Required: what the component looks like on this member; never fails for "absent".
     *  Input "purpose" "status" (sent from MicroCloud 0.2 on, only to a plugin with a status
     *  hook) says the report is for `microcloud status`, asked beside that hook: the plugin may
     *  leave out of it the cluster probes its status hook makes anyway. Since ABI 1.0. */
    mc_hook_fn discover;
    /** Required: problems with a cluster plan, as a JSON array of
     *  {"field","message","severity"}; changes nothing. Since ABI 1.0. */
    mc_hook_fn validate;
    /** Required: bootstrap or join the component cluster; idempotent. An answer with
     *  "clustered_before": true says this member was in the component cluster before the run
     *  (nothing joined): a rollback's "run_members" then leaves it out. Since ABI 1.0. */
    mc_hook_fn join;
    /** Required: leave the component cluster or undo a failed join; idempotent. The input's
     *  "mode" says which: "rollback" (a run failed: undo what this member's join and configure
     *  of that run changed), "remove" (run on another member: take member "remove" out of the
     *  component cluster; "force" when it may not answer or still holds work) or "leave" (run on
     *  member "remove" itself just before "remove" runs elsewhere: stop and forget what it runs
     *  for the component; a plugin with nothing to do there fails with code "unsupported").
     *  A rollback's input "run_members" lists the members the failed run joined this plugin on
     *  (the rolled-back member among them), so that one may take the others that no longer answer
     *  out of the component cluster. Since ABI 1.0 ("leave" and "run_members" are sent by hosts
     *  of ABI 1.0 from MicroCloud 0.2 on). */
    mc_hook_fn teardown;

    /** Optional (NULL if unsupported): a join token for a named joiner. Since ABI 1.0. */
    mc_hook_fn issue_token;
    /** Optional (NULL if unsupported): cluster-wide configuration after all joins. Since ABI 1.0. */
    mc_hook_fn configure;
    /** Optional (NULL if unsupported): the component's health on this member, a JSON object.
     *  Its "summary" (text) is the line `microcloud status` shows; its "service" ({"role",
     *  "status", optional "address"}, read from MicroCloud 0.2 on) is this member's row in
     *  `microcloud service list`, left out where the component does not run on this member.
     *  Since ABI 1.0. */
    mc_hook_fn status;
} mc_plugin_descriptor;

/** Type of the entry symbol. Since ABI 1.0. */
typedef const mc_plugin_descriptor* (*mc_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* MICROCLOUD_SDK_PLUGIN_H */
