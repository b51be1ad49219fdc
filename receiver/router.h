// Routes (method, path) to handlers. A handler answers at once (Sync) or
// later through a callback (Async: the ingest answers after the group
// commit). Every response passes the finishing hook (security headers).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "http_message.h"

namespace mcujs_receiver::http {

using Respond = std::function<void(Response)>;

class Router {
 public:
  using Sync = std::function<void(const Request&, Response&)>;
  using Async = std::function<void(const Request&, Respond)>;

  void get(std::string path, Sync h) { add("GET", std::move(path), wrap(std::move(h))); }
  void post(std::string path, Sync h) { add("POST", std::move(path), wrap(std::move(h))); }
  void post_async(std::string path, Async h) { add("POST", std::move(path), std::move(h)); }
  void set_finisher(std::function<void(Response&)> f) { finish_ = std::move(f); }
  void set_verbose(bool v) { verbose_ = v; }

  // Calls the route's handler (404/405 if none); `done` gets the finished
  // response, on whatever thread the handler answers.
  void dispatch(const Request& req, Respond done) const;
  // A response made outside any route (framing errors), finished the same way.
  Response error(int status, const std::string& why) const;

 private:
  struct Route {
    std::string method, path;
    Async handler;
  };
  static Async wrap(Sync h);
  void add(std::string method, std::string path, Async h) {
    routes_.push_back({std::move(method), std::move(path), std::move(h)});
  }
  std::vector<Route> routes_;
  std::function<void(Response&)> finish_;
  bool verbose_ = false;
};

// {"error": message} with the status.
void json_error(Response& res, int status, const std::string& message);

}  // namespace mcujs_receiver::http
