// Image decoding: EXIF orientation applied, grey/alpha/16-bit/CMYK to RGB uint8, bad files named.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/ImageDecoder.h"
#include "poisonlab/core/data/ImageFileCheck.h"

#include <opencv2/imgcodecs.hpp>

using namespace poisonlab;
using namespace poisonlab::data;
namespace fs = std::filesystem;

namespace {

// A JPEG of a 32x16 image, left half red, right half blue, with an EXIF APP1 segment
// (big-endian TIFF, one IFD entry: Orientation = `orientation`) inserted after SOI.
std::string jpegWithOrientation(int orientation)
{
    cv::Mat bgr(16, 32, CV_8UC3, cv::Scalar(255, 0, 0));      // blue
    bgr(cv::Rect(0, 0, 16, 16)).setTo(cv::Scalar(0, 0, 255)); // left half red
    std::vector<uchar> buf;
    cv::imencode(".jpg", bgr, buf, {cv::IMWRITE_JPEG_QUALITY, 95});
    const unsigned char app1[] = {0xFF, 0xE1,
                                  0x00, 0x22,
                                  'E',  'x',
                                  'i',  'f',
                                  0,    0, // marker, length 34
                                  'M',  'M',
                                  0x00, 0x2A,
                                  0x00, 0x00,
                                  0x00, 0x08, // TIFF header, IFD at 8
                                  0x00, 0x01, // one entry
                                  0x01, 0x12,
                                  0x00, 0x03,
                                  0x00, 0x00,
                                  0x00, 0x01, // Orientation, SHORT, 1
                                  0x00, static_cast<unsigned char>(orientation),
                                  0x00, 0x00, // value
                                  0x00, 0x00,
                                  0x00, 0x00}; // no next IFD
    std::string out(reinterpret_cast<const char *>(buf.data()), 2);
    out.append(reinterpret_cast<const char *>(app1), sizeof app1);
    out.append(reinterpret_cast<const char *>(buf.data()) + 2, buf.size() - 2);
    return out;
}

cv::Vec3b at(const cv::Mat &m, int x, int y)
{
    return m.at<cv::Vec3b>(y, x);
}

bool near(cv::Vec3b a, cv::Vec3b b)
{
    for (int i = 0; i < 3; ++i)
        if (std::abs(int(a[i]) - int(b[i])) > 40)
            return false;
    return true;
}

} // namespace

class TestImageDecoder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exifOrientation_data();
    void exifOrientation();
    void cmykJpegToRgb();
    void greyAlphaAndDeepToRgb_data();
    void greyAlphaAndDeepToRgb();
    void badFilesNamed_data();
    void badFilesNamed();
};

void TestImageDecoder::exifOrientation_data()
{
    QTest::addColumn<int>("orientation");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<QString>("redAt"); // where the original left (red) half ends up
    QTest::newRow("1 as stored") << 1 << 32 << 16 << "left";
    QTest::newRow("3 rotate 180") << 3 << 32 << 16 << "right";
    QTest::newRow("6 rotate 90 cw") << 6 << 16 << 32 << "top";
    QTest::newRow("8 rotate 90 ccw") << 8 << 16 << 32 << "bottom";
}

void TestImageDecoder::exifOrientation()
{
    QFETCH(int, orientation);
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(QString, redAt);
    test::TempDir dir;
    const fs::path file = dir / "photo.jpg";
    writeFileAtomically(file, jpegWithOrientation(orientation));
    QVERIFY(!imageFileProblem(file)); // still a complete JPEG
    const cv::Mat rgb = decodeImageRgb(file);
    QCOMPARE(rgb.type(), CV_8UC3);
    QCOMPARE(rgb.cols, width);
    QCOMPARE(rgb.rows, height);
    const cv::Vec3b red(255, 0, 0), blue(0, 0, 255); // RGB order
    cv::Point redPoint, bluePoint;
    if (redAt == "left") {
        redPoint = {4, 8};
        bluePoint = {28, 8};
    } else if (redAt == "right") {
        redPoint = {28, 8};
        bluePoint = {4, 8};
    } else if (redAt == "top") {
        redPoint = {8, 4};
        bluePoint = {8, 28};
    } else {
        redPoint = {8, 28};
        bluePoint = {8, 4};
    }
    QVERIFY(near(at(rgb, redPoint.x, redPoint.y), red));
    QVERIFY(near(at(rgb, bluePoint.x, bluePoint.y), blue));
}

// tests/data/images/cmyk-adobe.jpg (made by make_cmyk_jpeg.c next to it, as Photoshop writes CMYK:
// inverted ink values and an Adobe marker): left half red, right half blue.
void TestImageDecoder::cmykJpegToRgb()
{
    const cv::Mat rgb = decodeImageRgb(test::testDataDir() / "images" / "cmyk-adobe.jpg");
    QCOMPARE(rgb.type(), CV_8UC3);
    QCOMPARE(rgb.cols, 16);
    QCOMPARE(rgb.rows, 8);
    auto near = [](cv::Vec3b p, int r, int g, int b) {
        return std::abs(p[0] - r) <= 24 && std::abs(p[1] - g) <= 24 && std::abs(p[2] - b) <= 24;
    };
    const cv::Vec3b left = rgb.at<cv::Vec3b>(4, 2), right = rgb.at<cv::Vec3b>(4, 13);
    QVERIFY2(near(left, 255, 0, 0), cv::format("left %d %d %d", left[0], left[1], left[2]).c_str());
    QVERIFY2(near(right, 0, 0, 255), cv::format("right %d %d %d", right[0], right[1], right[2]).c_str());
}

void TestImageDecoder::greyAlphaAndDeepToRgb_data()
{
    QTest::addColumn<int>("cvType");
    QTest::addColumn<QString>("ext");
    QTest::newRow("grey png") << CV_8UC1 << ".png";
    QTest::newRow("grey jpeg") << CV_8UC1 << ".jpg";
    QTest::newRow("rgba png") << CV_8UC4 << ".png";
    QTest::newRow("16-bit grey png") << CV_16UC1 << ".png";
    QTest::newRow("16-bit rgb png") << CV_16UC3 << ".png";
    QTest::newRow("bmp") << CV_8UC3 << ".bmp";
}

void TestImageDecoder::greyAlphaAndDeepToRgb()
{
    QFETCH(int, cvType);
    QFETCH(QString, ext);
    test::TempDir dir;
    const fs::path file = dir / ("img" + ext.toStdString());
    const bool deep = CV_MAT_DEPTH(cvType) == CV_16U;
    const double v = deep ? 200 * 257 : 200;
    // B=200 (or grey 200), G=100, R=50, alpha 0: PIL's convert("RGB") keeps the colour under alpha.
    cv::Mat img(6, 10, cvType, cv::Scalar(v, v / 2, v / 4, 0));
    QVERIFY(cv::imwrite(file.string(), img));
    const cv::Mat rgb = decodeImageRgb(file);
    QCOMPARE(rgb.type(), CV_8UC3);
    QCOMPARE(rgb.cols, 10);
    QCOMPARE(rgb.rows, 6);
    const cv::Vec3b p = rgb.at<cv::Vec3b>(3, 5);
    if (CV_MAT_CN(cvType) == 1) {
        QVERIFY(std::abs(p[0] - 200) <= 2 && p[0] == p[1] && p[1] == p[2]);
    } else {
        QVERIFY2(std::abs(p[0] - 50) <= 2 && std::abs(p[1] - 100) <= 2 && std::abs(p[2] - 200) <= 2,
                 qPrintable(QString("%1 %2 %3").arg(p[0]).arg(p[1]).arg(p[2])));
    }
}

void TestImageDecoder::badFilesNamed_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("problem");
    QTest::newRow("missing") << QByteArray() << "file not found";
    QTest::newRow("empty") << QByteArray("") << "empty file";
    QTest::newRow("text") << QByteArray("just some text") << "not an image";
    QTest::newRow("truncated jpeg") << QByteArray(
                                           "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
                                    << "truncated JPEG";
}

void TestImageDecoder::badFilesNamed()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, problem);
    test::TempDir dir;
    const fs::path file = dir / "bad.jpg";
    if (!content.isNull())
        writeFileAtomically(file, std::string(content.constData(), static_cast<std::size_t>(content.size())));
    const auto sniffed = imageFileProblem(file);
    QVERIFY(sniffed);
    QVERIFY2(sniffed->find(problem.toStdString()) != std::string::npos, sniffed->c_str());
    try {
        decodeImageRgb(file);
        QFAIL("no exception");
    } catch (const Error &e) {
        QCOMPARE(e.file(), file);
        QVERIFY2(std::string(e.what()).find("bad.jpg") != std::string::npos, e.what());
    }
}

POISONLAB_TEST_MAIN(TestImageDecoder)
#include "tst_imagedecoder.moc"
