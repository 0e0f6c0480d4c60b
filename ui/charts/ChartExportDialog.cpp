#include "charts/ChartExportDialog.h"

#include "style/StatusColors.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace poisonlab::ui {

namespace {

// Remembered for the next export of this session: presenters export several charts alike.
QSize g_lastSize(1200, 700);
QString g_lastFolder;
int g_lastFormat = 0;

} // namespace

ChartExportDialog::ChartExportDialog(Exporter exporter, const QString &suggestedName, QWidget *parent)
    : QDialog(parent), m_exporter(std::move(exporter))
{
    setWindowTitle(tr("Export chart"));
    auto *form = new QFormLayout;
    m_width = new QSpinBox(this);
    m_height = new QSpinBox(this);
    for (QSpinBox *s : {m_width, m_height}) {
        s->setRange(100, 8000);
        s->setSuffix(tr(" px"));
    }
    auto *sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_width);
    sizeRow->addWidget(new QLabel(QStringLiteral("×"), this));
    sizeRow->addWidget(m_height);
    sizeRow->addStretch(1);
    form->addRow(tr("Size:"), sizeRow);
    m_format = new QComboBox(this);
    for (auto f : {ChartExporter::Format::Png, ChartExporter::Format::Svg, ChartExporter::Format::Pdf})
        m_format->addItem(ChartExporter::formatName(f), int(f));
    form->addRow(tr("Format:"), m_format);
    m_file = new QLineEdit(this);
    auto *browse = new QPushButton(tr("Browse…"), this);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);
    form->addRow(tr("File:"), fileRow);
    m_note = new QLabel(this);
    m_note->setStyleSheet(QStringLiteral("color: palette(mid);"));
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(StatusColors::errorStyle(palette()));
    m_error->hide();
    form->addRow(QString(), m_note);
    form->addRow(QString(), m_error);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    setPixelSize(g_lastSize);
    m_format->setCurrentIndex(g_lastFormat);
    const QString folder = g_lastFolder.isEmpty() ? QDir::homePath() : g_lastFolder;
    setFilePath(QDir(folder).filePath(suggestedName.isEmpty() ? tr("chart") : suggestedName));

    auto updateNote = [this] {
        const bool png = format() == ChartExporter::Format::Png;
        m_note->setText(png ? tr("The PNG has %1 × %2 pixels (twice the size, for sharp slides).")
                                  .arg(m_width->value() * 2)
                                  .arg(m_height->value() * 2)
                            : tr("Vector: the size sets the page and the text's proportions."));
    };
    connect(m_width, &QSpinBox::valueChanged, this, updateNote);
    connect(m_height, &QSpinBox::valueChanged, this, updateNote);
    connect(m_format, &QComboBox::currentIndexChanged, this, updateNote);
    connect(m_file, &QLineEdit::textEdited, this, &ChartExportDialog::followSuffix);
    connect(browse, &QPushButton::clicked, this, &ChartExportDialog::browse);
    connect(buttons, &QDialogButtonBox::accepted, this, &ChartExportDialog::exportNow);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateNote();
}

void ChartExportDialog::setFilePath(const QString &path)
{
    m_file->setText(path);
    followSuffix(path);
}

void ChartExportDialog::setFormat(ChartExporter::Format f)
{
    m_format->setCurrentIndex(m_format->findData(int(f)));
}

ChartExporter::Format ChartExportDialog::format() const
{
    return ChartExporter::Format(m_format->currentData().toInt());
}

void ChartExportDialog::setPixelSize(QSize size)
{
    m_width->setValue(size.width());
    m_height->setValue(size.height());
}

QSize ChartExportDialog::pixelSize() const
{
    return {m_width->value(), m_height->value()};
}

QString ChartExportDialog::targetPath() const
{
    return ChartExporter::withSuffix(m_file->text().trimmed(), format());
}

QString ChartExportDialog::errorText() const
{
    return m_error->text();
}

// A typed suffix of a known format picks that format, so the file and its content agree.
void ChartExportDialog::followSuffix(const QString &path)
{
    if (const auto f = ChartExporter::formatOf(path))
        setFormat(*f);
}

void ChartExportDialog::browse()
{
    const QString filter = ChartExporter::fileFilter();
    QString selected = filter.split(QStringLiteral(";;")).value(m_format->currentIndex());
    const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), targetPath(), filter, &selected);
    if (path.isEmpty())
        return;
    setFormat(ChartExporter::Format(filter.split(QStringLiteral(";;")).indexOf(selected) < 0
                                        ? int(format())
                                        : filter.split(QStringLiteral(";;")).indexOf(selected)));
    setFilePath(path);
}

bool ChartExportDialog::exportNow()
{
    const QString path = targetPath();
    QString error;
    if (path.isEmpty())
        error = tr("Type the file to write.");
    else if (!m_exporter(path, pixelSize(), &error) && error.isEmpty())
        error = tr("Cannot write %1").arg(path);
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    if (!error.isEmpty())
        return false;
    g_lastSize = pixelSize();
    g_lastFormat = m_format->currentIndex();
    g_lastFolder = QFileInfo(path).absolutePath();
    accept();
    return true;
}

void ChartExportDialog::run(QWidget *parent, Exporter exporter, const QString &suggestedName)
{
    ChartExportDialog dialog(std::move(exporter), suggestedName, parent);
    dialog.exec();
}

} // namespace poisonlab::ui
