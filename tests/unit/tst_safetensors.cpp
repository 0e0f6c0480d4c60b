// Safetensors reading and writing: round trips keep names, order, dtypes and bytes; corrupt files
// (written here byte by byte) are rejected with an error naming the file, never a crash.
#include "TestSupport.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/Safetensors.h"

#include <nlohmann/json.hpp>

using namespace poisonlab;
using namespace poisonlab::clip;
namespace fs = std::filesystem;

namespace {

// A safetensors file from a header text and a data size (bytes 0, 1, 2, ... as data).
std::string makeFile(const std::string &header, size_t dataBytes, int64_t claimedHeaderLen = -1)
{
    std::string out;
    const uint64_t n = claimedHeaderLen >= 0 ? static_cast<uint64_t>(claimedHeaderLen) : header.size();
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
    out += header;
    for (size_t i = 0; i < dataBytes; ++i)
        out.push_back(static_cast<char>(i & 0xff));
    return out;
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripKeepsEverything();
    void readsReferenceLayout();
    void corruptFilesAreRejected_data();
    void corruptFilesAreRejected();
};

void TestSafetensors::roundTripKeepsEverything()
{
    test::TempDir dir;
    NamedTensors tensors = {
        {"z.first", torch::randn({3, 4})},
        {"a.half", torch::randn({5}).to(torch::kFloat16)},
        {"m.bf16", torch::randn({2, 2}).to(torch::kBFloat16)},
        {"ints", torch::arange(7, torch::kLong)},
        {"scalar", torch::full({}, 2.5)},
        {"bytes", torch::tensor({1, 2, 255}, torch::kUInt8)},
        {"empty", torch::zeros({0, 3})},
        {"transposed", torch::randn({3, 2}).t()}, // non-contiguous input
    };
    const fs::path file = dir / "x.safetensors";
    Safetensors::write(file, tensors, {{"format", "pt"}});
    const Safetensors st = Safetensors::open(file);
    QCOMPARE(st.metadata().at("format"), std::string("pt"));
    const NamedTensors back = st.readAll();
    QCOMPARE(back.size(), tensors.size());
    for (size_t i = 0; i < tensors.size(); ++i) {
        QCOMPARE(back[i].first, tensors[i].first); // file order is write order
        QCOMPARE(back[i].second.scalar_type(), tensors[i].second.scalar_type());
        QVERIFY(back[i].second.sizes() == tensors[i].second.sizes());
        QVERIFY(torch::equal(back[i].second, tensors[i].second));
    }
    // Header padded to 8 bytes, like the reference writer: the data starts aligned.
    const std::string bytes = Safetensors::serialize(tensors);
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | static_cast<unsigned char>(bytes[i]);
    QCOMPARE(n % 8, uint64_t(0));
}

void TestSafetensors::readsReferenceLayout()
{
    // Written by hand as the Python safetensors library lays it out (little-endian F32 1.0, 2.0).
    test::TempDir dir;
    const std::string header = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
    std::string file = makeFile(header, 0);
    const float values[2] = {1.0f, 2.0f};
    file.append(reinterpret_cast<const char *>(values), 8);
    test::writeText(dir / "ref.safetensors", file);
    const torch::Tensor w = Safetensors::open(dir / "ref.safetensors").read("w");
    QVERIFY(torch::equal(w, torch::tensor({1.0f, 2.0f})));
}

void TestSafetensors::corruptFilesAreRejected_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    auto row = [](const char *name, const std::string &bytes, const char *expected) {
        QTest::newRow(name) << QByteArray(bytes.data(), static_cast<int>(bytes.size())) << QString(expected);
    };
    const std::string ok = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
    row("shorter than 8 bytes", std::string("abc"), "shorter than its 8-byte header");
    row("header length past the end", makeFile(ok, 8, 1ll << 40), "runs past the end of the file");
    row("header length just past the end", makeFile(ok, 0, static_cast<int64_t>(ok.size()) + 1),
        "runs past the end of the file");
    row("header not JSON", makeFile("{not json at all", 0), "not valid JSON");
    row("header not an object", makeFile("[1, 2, 3]", 0), "not a JSON object");
    row("unknown dtype", makeFile(R"({"a":{"dtype":"F8_E9","shape":[2],"data_offsets":[0,2]}})", 2),
        "unknown dtype \"F8_E9\"");
    row("negative dimension", makeFile(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8),
        "negative dimension");
    row("missing fields", makeFile(R"({"a":{"dtype":"F32"}})", 0), "needs dtype, shape and data_offsets");
    row("offsets out of range", makeFile(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", 8),
        "run past the end of the data");
    row("truncated data", makeFile(ok, 5), "truncated");
    row("offsets reversed", makeFile(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", 8),
        "begin after they end");
    row("size does not match shape", makeFile(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8),
        "shape and dtype need 12");
    row("overlapping tensors",
        makeFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                 R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                 12),
        "overlap");
    row("absurd shape", makeFile(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", 8),
        "absurdly large");
    row("metadata not strings", makeFile(R"({"__metadata__":{"x":1}})", 0), "is not a string");
}

void TestSafetensors::corruptFilesAreRejected()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    test::TempDir dir;
    const fs::path file = dir / "bad.safetensors";
    test::writeText(file, std::string(bytes.constData(), static_cast<size_t>(bytes.size())));
    try {
        const Safetensors st = Safetensors::open(file);
        st.readAll();
        QFAIL("corrupt file accepted");
    } catch (const Error &e) {
        const std::string msg = e.what();
        QVERIFY2(msg.find("bad.safetensors") != std::string::npos, msg.c_str());
        QVERIFY2(msg.find(expected.toStdString()) != std::string::npos, msg.c_str());
    }
}

POISONLAB_TEST_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
