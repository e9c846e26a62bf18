// Errors as values: every failing step returns an Error that says what failed and why; context is
// prepended on the way up and the whole chain is rendered once, by launcher/dispatch.cpp.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <variant>

namespace ipcbox {

struct Error {
    std::string message;  // "what: why", outermost context first
    std::string hint;     // optional advice shown on a second line
    int err = 0;          // errno of the root cause, 0 when there is none

    static Error of(std::string message) { return Error{std::move(message), {}, 0}; }
    // "what: strerror(err)"
    static Error from_errno(const std::string& what, int err) {
        return Error{what + ": " + std::strerror(err), {}, err};
    }
    Error&& with_context(const std::string& outer) && {
        message = outer + ": " + message;
        return std::move(*this);
    }
    Error&& with_hint(std::string h) && {
        hint = std::move(h);
        return std::move(*this);
    }
};

// A value or the Error that prevented it. Deliberately small: ok(), value(), error().
template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}
    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const Error& error() const& { return std::get<1>(v_); }
    Error&& error() && { return std::get<1>(std::move(v_)); }

  private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), failed_(true) {}
    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const& { return error_; }
    Error&& error() && { return std::move(error_); }

  private:
    Error error_;
    bool failed_ = false;
};

using Status = Result<void>;

}  // namespace ipcbox
