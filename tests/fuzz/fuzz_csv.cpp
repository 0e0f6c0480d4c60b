// libFuzzer target: users' own CSV/TSV files (plugins/datasets/csv), on arbitrary bytes as
// pairs.csv (header row, RFC 4180 quoting, a byte-order mark, tabs). The root holds img/a.jpg
// and img/b.jpg (DatasetFormatFuzzing.h).
#include "DatasetFormatFuzzing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace poisonlab::fuzz;
    const auto &root = datasetRoot({"img/a.jpg", "img/b.jpg"});
    const auto file = root / "pairs.csv";
    writeBytes(file, std::string_view(reinterpret_cast<const char *>(data), size));
    readDataset(root, {file}, nlohmann::json::object());
    return 0;
}
