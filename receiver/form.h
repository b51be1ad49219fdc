// application/x-www-form-urlencoded: the devices' bodies, query strings and
// the dashboard's login form. Strict: every pair has '=', names non-empty
// and unique, %XX escapes complete.
#pragma once
#include <map>
#include <string>
#include <string_view>

namespace mcujs_receiver {

// Decodes in[begin, end) ('+' is a space); false on a bad %-escape.
bool url_decode(std::string_view in, std::string* out);

// The strict form above; false if the text is not one.
bool parse_form(std::string_view body, std::map<std::string, std::string>* out);

}  // namespace mcujs_receiver
