// The .npy writer and reader: exact header bytes (format 1.0, 64-byte aligned data), a round trip,
// and clear errors for files that are not float32 C-order arrays.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Npy.h"

using namespace poisonlab;
namespace fs = std::filesystem;

class TestNpy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void headerIsNumpyFormat10();
    void roundTrip_data();
    void roundTrip();
    void badFilesNameTheProblem_data();
    void badFilesNameTheProblem();
};

void TestNpy::headerIsNumpyFormat10()
{
    test::TempDir dir;
    const float v[6] = {1, 2, 3, 4, 5, 6};
    writeNpy(dir / "a.npy", v, {2, 3});
    const std::string bytes = readFile(dir / "a.npy");
    QCOMPARE(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
    const std::size_t headerLen = std::size_t(std::uint8_t(bytes[8])) | (std::size_t(std::uint8_t(bytes[9])) << 8);
    QCOMPARE((10 + headerLen) % 64, std::size_t(0));
    const std::string header = bytes.substr(10, headerLen);
    QVERIFY(header.starts_with("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
    QCOMPARE(header.back(), '\n');
    QCOMPARE(bytes.size(), 10 + headerLen + 6 * sizeof(float));
}

void TestNpy::roundTrip_data()
{
    QTest::addColumn<std::vector<std::int64_t>>("shape");
    QTest::newRow("matrix") << std::vector<std::int64_t>{3, 5};
    QTest::newRow("vector") << std::vector<std::int64_t>{7};
    QTest::newRow("no rows") << std::vector<std::int64_t>{0, 4};
}

void TestNpy::roundTrip()
{
    QFETCH(std::vector<std::int64_t>, shape);
    test::TempDir dir;
    NpyArray a;
    a.shape = shape;
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    for (std::int64_t i = 0; i < n; ++i)
        a.data.push_back(float(i) * 0.25f - 1.0f);
    writeNpy(dir / "x.npy", a);
    const NpyArray b = readNpy(dir / "x.npy");
    QCOMPARE(b.shape, a.shape);
    QCOMPARE(b.data, a.data);
}

void TestNpy::badFilesNameTheProblem_data()
{
    QTest::addColumn<std::string>("bytes");
    QTest::addColumn<QString>("expected");
    auto file = [](const std::string &header, std::size_t dataBytes) {
        std::string h = header + "\n";
        std::string out("\x93NUMPY\x01\x00", 8);
        out += char(h.size() & 0xff);
        out += char(h.size() >> 8);
        return out + h + std::string(dataBytes, '\0');
    };
    QTest::newRow("float64") << file("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 16) << "float32";
    QTest::newRow("fortran") << file("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16) << "C order";
    QTest::newRow("truncated") << file("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", 12) << "needs 16";
    QTest::newRow("not npy") << std::string("hello, world") << "not a .npy file";
    // Hostile shapes (found by fuzzing, tests/fuzz/regressions/fuzz_npy): refused before any
    // allocation, never an overflow or another exception type.
    QTest::newRow("shape product overflows")
        << file("{'descr': '<f4', 'fortran_order': False, 'shape': (999999999999999999, 999999999999999999), }", 0)
        << "more values than its";
    QTest::newRow("shape beyond the file")
        << file("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000), }", 8) << "more values than its";
    QTest::newRow("shape of twenty digits")
        << file("{'descr': '<f4', 'fortran_order': False, 'shape': (123456789012345678901, 1), }", 0)
        << "malformed .npy shape";
    QTest::newRow("negative dimension") << file("{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3), }", 24)
                                        << "malformed .npy shape";
}

void TestNpy::badFilesNameTheProblem()
{
    QFETCH(std::string, bytes);
    QFETCH(QString, expected);
    test::TempDir dir;
    writeFileAtomically(dir / "bad.npy", bytes);
    try {
        readNpy(dir / "bad.npy");
        QFAIL("a bad .npy file was accepted");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains(expected), e.what());
        QVERIFY2(QString(e.what()).contains("bad.npy"), e.what());
    }
    try {
        readNpy(dir / "absent.npy");
        QFAIL("a missing file was accepted");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains("absent.npy") && QString(e.what()).contains("missing"), e.what());
    }
}

POISONLAB_TEST_MAIN(TestNpy)
#include "tst_npy.moc"
