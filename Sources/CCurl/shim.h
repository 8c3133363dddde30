// libcurl for Swift. curl_easy_setopt and curl_easy_getinfo are variadic, which Swift
// cannot call, so each argument type gets a typed inline wrapper here.
#ifndef CHRONOTERM_CCURL_SHIM_H
#define CHRONOTERM_CCURL_SHIM_H
#include <curl/curl.h>

typedef size_t (*chronoterm_curl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);

static inline CURLcode chronoterm_curl_setopt_long(CURL *h, CURLoption o, long v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode chronoterm_curl_setopt_string(CURL *h, CURLoption o, const char *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode chronoterm_curl_setopt_pointer(CURL *h, CURLoption o, void *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode chronoterm_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode chronoterm_curl_setopt_callback(CURL *h, CURLoption o, chronoterm_curl_data_cb v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode chronoterm_curl_setopt_offset(CURL *h, CURLoption o, curl_off_t v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode chronoterm_curl_getinfo_long(CURL *h, CURLINFO i, long *v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode chronoterm_curl_getinfo_string(CURL *h, CURLINFO i, char **v) {
    return curl_easy_getinfo(h, i, v);
}
#endif
