// libFuzzer target: the paper code's preprocessed records (plugins/datasets/paper-json), on
// arbitrary bytes as pascal_train.json and, after a NUL byte, pascal_test.json, with two class
// names given for integer labels. The root holds JPEGImages/a.jpg, b.jpg and c.jpg
// (DatasetFormatFuzzing.h).
#include "DatasetFormatFuzzing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace poisonlab::fuzz;
    const auto &root = datasetRoot({"JPEGImages/a.jpg", "JPEGImages/b.jpg", "JPEGImages/c.jpg"});
    const auto parts = splitAtNul(data, size, 2);
    std::vector<std::filesystem::path> files = {root / "pascal_train.json"};
    writeBytes(files[0], parts[0]);
    if (parts.size() > 1) {
        files.push_back(root / "pascal_test.json");
        writeBytes(files[1], parts[1]);
    }
    readDataset(root, files, {{"classes", nlohmann::json::array({"cat", "dog"})}});
    return 0;
}
