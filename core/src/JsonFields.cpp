#include "poisonlab/core/JsonFields.h"

#include "poisonlab/core/Error.h"

namespace poisonlab {

using nlohmann::json;

std::string shortJson(const json &value, std::size_t limit)
{
    // The replace handler: a string read from a file is valid UTF-8, but one built in code may not be.
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() > limit)
        text = text.substr(0, limit) + "...";
    return text;
}

std::string withoutJsonTag(const std::string &what)
{
    const auto tag = what.find("] ");
    return what.rfind("[json.exception.", 0) == 0 && tag != std::string::npos ? what.substr(tag + 2) : what;
}

JsonFields::JsonFields(const json &object, std::filesystem::path file, std::string where)
    : m_json(object), m_file(std::move(file)), m_where(std::move(where))
{
    if (!m_json.is_object()) {
        const std::string problem = "must be a JSON object, got " + shortJson(m_json);
        const std::string what = m_where.empty() ? problem : m_where + " " + problem;
        throw m_file.empty() ? Error(what) : Error(m_file, what);
    }
}

std::string JsonFields::path(const std::string &key) const
{
    return (m_where.empty() ? "" : m_where + ".") + "\"" + key + "\"";
}

void JsonFields::fail(const std::string &key, const std::string &problem) const
{
    const std::string what = (key.empty() ? m_where : path(key)) + " " + problem;
    if (m_file.empty())
        throw Error(what);
    throw Error(m_file, what);
}

const json *JsonFields::find(const std::string &key, bool need) const
{
    const auto it = m_json.find(key);
    if (it == m_json.end() || it->is_null()) {
        if (need)
            fail(key, "is missing");
        return nullptr;
    }
    return &*it;
}

std::string JsonFields::text(const std::string &key, const std::string &fallback) const
{
    const json *v = find(key, false);
    if (!v)
        return fallback;
    if (!v->is_string())
        fail(key, "must be a string, got " + shortJson(*v));
    return v->get<std::string>();
}

std::string JsonFields::needText(const std::string &key) const
{
    find(key, true);
    return text(key);
}

long long JsonFields::integerAt(const std::string &key, const json &v, long long min, long long max) const
{
    if (!v.is_number_integer())
        fail(key, "must be an integer, got " + shortJson(v));
    // An unsigned value above the signed range is out of range, not a wrapped negative number.
    const bool tooBig = v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(kMax);
    const long long n = tooBig ? kMax : v.get<long long>();
    if (tooBig || n < min || n > max)
        fail(key, "is " + shortJson(v) + ", outside " + std::to_string(min) + ".." + std::to_string(max));
    return n;
}

long long JsonFields::integer(const std::string &key, long long fallback, long long min, long long max) const
{
    const json *v = find(key, false);
    return v ? integerAt(key, *v, min, max) : fallback;
}

long long JsonFields::needInteger(const std::string &key, long long min, long long max) const
{
    return integerAt(key, *find(key, true), min, max);
}

std::uint64_t JsonFields::unsignedInteger(const std::string &key, std::uint64_t fallback) const
{
    const json *v = find(key, false);
    if (!v)
        return fallback;
    if (!v->is_number_integer() || (!v->is_number_unsigned() && v->get<long long>() < 0))
        fail(key, "must be a whole number >= 0, got " + shortJson(*v));
    return v->get<std::uint64_t>();
}

std::uint64_t JsonFields::needUnsigned(const std::string &key) const
{
    find(key, true);
    return unsignedInteger(key, 0);
}

double JsonFields::needNumber(const std::string &key) const
{
    find(key, true);
    return number(key, 0);
}

double JsonFields::number(const std::string &key, double fallback) const
{
    const json *v = find(key, false);
    if (!v)
        return fallback;
    if (!v->is_number())
        fail(key, "must be a number, got " + shortJson(*v));
    return v->get<double>();
}

bool JsonFields::boolean(const std::string &key, bool fallback) const
{
    const json *v = find(key, false);
    if (!v)
        return fallback;
    if (!v->is_boolean())
        fail(key, "must be true or false, got " + shortJson(*v));
    return v->get<bool>();
}

json JsonFields::object(const std::string &key) const
{
    const json *v = find(key, false);
    if (!v)
        return json::object();
    if (!v->is_object())
        fail(key, "must be a JSON object, got " + shortJson(*v));
    return *v;
}

const json &JsonFields::list(const std::string &key, bool need) const
{
    static const json empty = json::array();
    const json *v = find(key, need);
    if (!v)
        return empty;
    if (!v->is_array())
        fail(key, "must be a list, got " + shortJson(*v));
    return *v;
}

JsonFields JsonFields::item(const std::string &key, std::size_t index) const
{
    return JsonFields(list(key)[index], m_file, path(key) + "[" + std::to_string(index) + "]");
}

} // namespace poisonlab
