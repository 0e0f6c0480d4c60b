#pragma once

#include <optional>
#include <string>

namespace poisonlab::eval {

/// How a rank treats gallery items scoring exactly the same as the target (docs/metrics.md,
/// "Ties"). A rank is 0-based:
///  - Optimistic: #{ items scoring strictly higher } (ties in the target's favour; the default);
///  - Pessimistic: #{ items other than the target(s) scoring higher or equal } (the worst place
///    an arbitrary sort order such as numpy's argsort can give the target).
enum class Ties { Optimistic, Pessimistic };

/// "optimistic" / "pessimistic", as written in evaluation options and documents.
const char *tiesName(Ties ties);
/// The mode of a name; nullopt for anything else.
std::optional<Ties> parseTies(const std::string &name);
/// "\"optimistic\" or \"pessimistic\"", for messages naming the allowed values.
inline constexpr const char *kTiesChoices = "\"optimistic\" or \"pessimistic\"";

} // namespace poisonlab::eval
