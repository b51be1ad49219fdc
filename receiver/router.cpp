#include "router.h"

#include <exception>
#include <nlohmann/json.hpp>

#include "log.h"

namespace mcujs_receiver::http {

void json_error(Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(nlohmann::json{{"error", message}}.dump(), "application/json");
}

Router::Async Router::wrap(Sync h) {
  return [h = std::move(h)](const Request& req, Respond done) {
    Response res;
    h(req, res);
    done(std::move(res));
  };
}

Response Router::error(int status, const std::string& why) const {
  Response res;
  json_error(res, status, why);
  res.close = true;
  if (finish_) finish_(res);
  return res;
}

void Router::dispatch(const Request& req, Respond done) const {
  const bool head = req.method == "HEAD";
  const std::string& method = head ? std::string("GET") : req.method;
  auto finish = [this, &req, done = std::move(done)](Response res) {
    if (finish_) finish_(res);
    if (!res.logged) {  // the ingest logs its own line
      if (res.status >= 400)
        log_warn(std::to_string(res.status) + " " + req.method + " " + req.path + " from " + req.remote_addr);
      else if (verbose_)
        log_info(std::to_string(res.status) + " " + req.method + " " + req.path);
    }
    done(std::move(res));
  };
  bool path_known = false;
  for (const Route& r : routes_) {
    if (r.path != req.path) continue;
    path_known = true;
    if (r.method != method) continue;
    try {
      r.handler(req, finish);
    } catch (const std::exception& e) {
      log_error("500 " + req.method + " " + req.path + ": " + e.what());
      Response res;
      json_error(res, 500, "internal error");
      finish(std::move(res));
    }
    return;
  }
  Response res;
  json_error(res, path_known ? 405 : 404, path_known ? "method not allowed" : "not found");
  finish(std::move(res));
}

}  // namespace mcujs_receiver::http
