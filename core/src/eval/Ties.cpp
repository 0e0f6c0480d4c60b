#include "poisonlab/core/eval/Ties.h"

namespace poisonlab::eval {

const char *tiesName(Ties ties)
{
    return ties == Ties::Pessimistic ? "pessimistic" : "optimistic";
}

std::optional<Ties> parseTies(const std::string &name)
{
    if (name == "optimistic")
        return Ties::Optimistic;
    if (name == "pessimistic")
        return Ties::Pessimistic;
    return std::nullopt;
}

} // namespace poisonlab::eval
