// Image decoding: EXIF orientation applied, grey/alpha/16-bit/CMYK to RGB uint8, bad files named.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/ImageDecoder.h"
#include "poisonlab/core/data/ImageDimensions.h"
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

std::string encoded(const char *ext, int width, int height)
{
    cv::Mat noise(height, width, CV_8UC3);
    cv::randu(noise, 0, 256);
    std::vector<uchar> buf;
    if (!cv::imencode(ext, noise, buf))
        return {};
    return std::string(buf.begin(), buf.end());
}

std::uint32_t crc32(std::string_view bytes)
{
    std::uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char b : bytes) {
        crc ^= b;
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

void putBe32(std::string &s, std::size_t at, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        s[at + std::size_t(i)] = static_cast<char>(v >> (24 - 8 * i));
}

// A real 1x1 PNG whose IHDR (CRC fixed up) declares width x height: a decompression bomb's header.
std::string pngDeclaring(std::uint32_t width, std::uint32_t height)
{
    std::string png = encoded(".png", 1, 1);
    putBe32(png, 16, width);
    putBe32(png, 20, height);
    putBe32(png, 29, crc32(std::string_view(png).substr(12, 17)));
    return png;
}

// A JPEG's SOI, a JFIF APP0 segment and a baseline frame header declaring width x height.
std::string jpegDeclaring(std::uint16_t width, std::uint16_t height)
{
    std::string jpeg("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20);
    jpeg += std::string("\xFF\xC0\x00\x0B\x08", 5);
    for (std::uint16_t v : {height, width})
        jpeg += {static_cast<char>(v >> 8), static_cast<char>(v & 0xFF)};
    jpeg += std::string("\x01\x01\x11\x00\xFF\xD9", 6);
    return jpeg;
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
    void declaredDimensions_data();
    void declaredDimensions();
    void hostileImagesRefused_data();
    void hostileImagesRefused();
    void pixelLimitIsAParameter();
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

void TestImageDecoder::declaredDimensions_data()
{
    QTest::addColumn<QString>("ext");
    for (const char *ext : {".png", ".jpg", ".bmp", ".webp", ".tiff"})
        QTest::newRow(ext) << ext;
}

// The header reader agrees with OpenCV's encoders (a width and height that differ, neither a power of two).
void TestImageDecoder::declaredDimensions()
{
    QFETCH(QString, ext);
    test::TempDir dir;
    const fs::path file = dir / ("img" + ext.toStdString());
    const std::string bytes = encoded(qPrintable(ext), 37, 23);
    QVERIFY(!bytes.empty());
    writeFileAtomically(file, bytes);
    const auto dims = declaredImageDimensions(file);
    QVERIFY(dims);
    QCOMPARE(dims->width, std::uint64_t(37));
    QCOMPARE(dims->height, std::uint64_t(23));
    QCOMPARE(decodeImageRgb(file).cols, 37);
}

void TestImageDecoder::hostileImagesRefused_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("problem");
    auto bytes = [](const std::string &s) { return QByteArray(s.data(), qsizetype(s.size())); };
    const std::string png = encoded(".png", 64, 64), jpeg = encoded(".jpg", 64, 64);
    QTest::newRow("truncated png") << bytes(png.substr(0, png.size() / 2)) << "truncated PNG";
    QTest::newRow("truncated jpeg") << bytes(jpeg.substr(0, jpeg.size() / 2)) << "truncated JPEG";
    // Under OpenCV's own limit of 2^30 pixels, so without PoisonLab's it would allocate 1.2 GB.
    QTest::newRow("png declaring 20000 x 20000")
        << bytes(pngDeclaring(20000, 20000))
        << "declares 20000 x 20000 pixels (381.5 megapixels), more than the limit of 64.0 megapixels (67108864 pixels)";
    QTest::newRow("jpeg declaring 65535 x 65535") << bytes(jpegDeclaring(65535, 65535)) << "declares 65535 x 65535";
    QTest::newRow("png declaring 0 x 5") << bytes(pngDeclaring(0, 5)) << "cannot read the image size";
    // Found by fuzz_image_decoder: WebP's decoder rejects the header, OpenCV tries GDCM, which allocated 3 GB.
    std::string webpDicom = std::string("RIFF\x8A\0\0\0WEBPVP8L", 16) + std::string(112, '\0') + "DICM";
    webpDicom += std::string("\x02\0\x10\0OB\0\0\xFF\xFF\xFF\xBF", 14);
    QTest::newRow("webp over a DICOM signature") << bytes(webpDicom) << "bears DICOM's signature at byte 128";
    // A GIF (OpenCV 4.6 has no GIF decoder) with "DTED" at byte 140 went to GDAL, which decoded it.
    std::string gifDted = std::string("GIF89a\x01\0\x01\0\x80\0\0", 13) + std::string(127, '\0') + "DTED";
    gifDted += std::string(20, '\0') + ";";
    QTest::newRow("gif over a DTED signature") << bytes(gifDted) << "bears DTED's signature at byte 140";
    QTest::newRow("not an image") << QByteArray("%PDF-1.4 not a picture") << "not an image";
    QTest::newRow("empty") << QByteArray("") << "empty file";
}

void TestImageDecoder::hostileImagesRefused()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, problem);
    test::TempDir dir;
    const fs::path file = dir / "hostile.png";
    writeFileAtomically(file, std::string(content.constData(), std::size_t(content.size())));
    try {
        decodeImageRgb(file);
        QFAIL("decoded");
    } catch (const Error &e) {
        QCOMPARE(e.file(), file);
        const std::string what = e.what();
        QVERIFY2(what.find("hostile.png") != std::string::npos, e.what());
        QVERIFY2(what.find(problem.toStdString()) != std::string::npos, e.what());
    }
}

void TestImageDecoder::pixelLimitIsAParameter()
{
    test::TempDir dir;
    const fs::path file = dir / "small.png";
    writeFileAtomically(file, encoded(".png", 64, 32));
    QCOMPARE(decodeImageRgb(file, 64 * 32).rows, 32);
    try {
        decodeImageRgb(file, 64 * 32 - 1);
        QFAIL("decoded over the limit");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("declares 64 x 32 pixels") != std::string::npos, e.what());
        QVERIFY2(std::string(e.what()).find("(2047 pixels)") != std::string::npos, e.what());
    }
}

POISONLAB_TEST_MAIN(TestImageDecoder)
#include "tst_imagedecoder.moc"
