// libFuzzer target: the streaming JSON reader every dataset importer uses (COCO, Karpathy, paper
// JSON). Arbitrary bytes must end in a parsed document or a poisonlab::Error naming the place —
// never a crash, a hang, another exception type or unbounded memory. The first byte picks how the
// document is walked (by type, by readValue, by skipValue), as the importers do all three.
#include "FuzzInput.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/JsonPullParser.h"

using poisonlab::data::JsonPullParser;

namespace {

void walk(JsonPullParser &p, int depth, std::uint8_t mode)
{
    if (depth > 64 || mode % 3 == 1) {
        (mode & 4) ? p.skipValue() : (void)p.readValue();
        return;
    }
    switch (p.peek()) {
    case JsonPullParser::Type::Object: {
        p.beginObject();
        std::string key;
        while (p.nextKey(key))
            walk(p, depth + 1, std::uint8_t(mode + key.size()));
        break;
    }
    case JsonPullParser::Type::Array:
        p.beginArray();
        while (p.nextElement())
            walk(p, depth + 1, mode);
        break;
    case JsonPullParser::Type::String:
        p.readString();
        break;
    case JsonPullParser::Type::Number: {
        long long n = 0;
        if (mode & 8)
            p.readDouble();
        else
            p.tryReadInteger(n);
        break;
    }
    case JsonPullParser::Type::Bool:
        p.readBool();
        break;
    case JsonPullParser::Type::Null:
        p.readNull();
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::uint8_t mode = size > 0 ? data[0] : 0;
    const auto &file = poisonlab::fuzz::writeInput(data, size, ".json");
    try {
        JsonPullParser p(file);
        walk(p, 0, mode);
        p.expectEnd();
    } catch (const poisonlab::Error &) {
        // expected for bad input: the message names the file and the place
    }
    return 0;
}
