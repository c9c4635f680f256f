#ifndef OMS_CCURL_SHIM_H
#define OMS_CCURL_SHIM_H

#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot
 * call: each wrapper fixes the type of the one argument, matching the type
 * the curl_easy_setopt man page gives for the options it is used with.
 * Passing an option of another type through one of these is a bug. */

/* CURLOPTTYPE_LONG options: timeouts, flags, CURLOPT_USE_SSL. */
static inline CURLcode oms_curl_set_long(CURL *handle, CURLoption option, long value) {
  return curl_easy_setopt(handle, option, value);
}

/* CURLOPTTYPE_OFF_T options: CURLOPT_INFILESIZE_LARGE. */
static inline CURLcode oms_curl_set_off(CURL *handle, CURLoption option, curl_off_t value) {
  return curl_easy_setopt(handle, option, value);
}

/* CURLOPTTYPE_STRINGPOINT options. libcurl copies the string (except for
 * CURLOPT_POSTFIELDS, not used here), so it need not outlive the call. */
static inline CURLcode oms_curl_set_string(CURL *handle, CURLoption option, const char *value) {
  return curl_easy_setopt(handle, option, value);
}

/* CURLOPTTYPE_OBJECTPOINT options that take a buffer libcurl keeps using,
 * such as CURLOPT_ERRORBUFFER: the memory must outlive the handle's use. */
static inline CURLcode oms_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
  return curl_easy_setopt(handle, option, value);
}

/* CURLOPTTYPE_SLISTPOINT options (CURLOPT_MAIL_RCPT). libcurl does not copy
 * the list: it must stay alive until the transfer is over. */
static inline CURLcode oms_curl_set_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
  return curl_easy_setopt(handle, option, value);
}

/* The upload source: libcurl calls `callback(buffer, size, nitems, userdata)`
 * for the next bytes, which returns how many it wrote (0 at the end). */
typedef size_t (*oms_curl_read_callback)(char *buffer, size_t size, size_t nitems, void *userdata);

static inline CURLcode oms_curl_set_read_callback(CURL *handle, oms_curl_read_callback callback,
                                                  void *userdata) {
  CURLcode result = curl_easy_setopt(handle, CURLOPT_READFUNCTION, callback);
  if (result != CURLE_OK) return result;
  return curl_easy_setopt(handle, CURLOPT_READDATA, userdata);
}

/* The last reply code the server sent during the last transfer (0: none). */
static inline long oms_curl_get_response_code(CURL *handle) {
  long code = 0;
  if (curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK) return 0;
  return code;
}

/* How many new connections the last transfer made: 0 means it reused one. */
static inline long oms_curl_get_new_connections(CURL *handle) {
  long count = 0;
  if (curl_easy_getinfo(handle, CURLINFO_NUM_CONNECTS, &count) != CURLE_OK) return 0;
  return count;
}

/* CURL_GLOBAL_DEFAULT is a macro expression Swift does not import. */
static inline CURLcode oms_curl_global_init(void) {
  return curl_global_init(CURL_GLOBAL_DEFAULT);
}

#endif
