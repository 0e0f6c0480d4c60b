#include "dataset/OpenDatasetDialog.h"

#include "style/StatusColors.h"

#include "poisonlab/core/plugin/PluginRegistry.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace poisonlab::ui {

QList<QPair<QString, QString>> OpenDatasetDialog::knownFormats()
{
    QList<QPair<QString, QString>> formats = {
        {QStringLiteral("pascal-sentences"),
         tr("PASCAL sentences: dataset/<class>/<image>.jpg and sentence/<class>/<image>.txt under the root. "
            "No annotation file.")},
        {QStringLiteral("karpathy"),
         tr("Karpathy's dataset_flickr30k.json or dataset_coco.json (annotation file); images under the root.")},
        {QStringLiteral("flickr30k-token"),
         tr("Flickr30k's results_20130124.token (annotation file); images under the root.")},
        {QStringLiteral("coco"),
         tr("COCO captions_<split>.json and instances_<split>.json (annotation files); images under the root.")},
        {QStringLiteral("paper-json"),
         tr("The paper code's records, e.g. pascal_train.json (annotation file); images under the root.")},
        {QStringLiteral("csv"), tr("CSV or TSV with image,caption[,label][,split] (annotation file).")},
    };
    // Dataset-format plugins beyond the built-in list show up too.
    for (const auto &plugin : plugin::PluginRegistry::instance().plugins("dataset-format")) {
        const QString id = QString::fromStdString(plugin.id);
        const bool listed = std::any_of(formats.begin(), formats.end(), [&](const auto &f) { return f.first == id; });
        if (!listed)
            formats.append({id, QString::fromStdString(plugin.description)});
    }
    return formats;
}

OpenDatasetDialog::OpenDatasetDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Open Dataset"));
    setMinimumWidth(620);
    auto *form = new QFormLayout;

    m_format = new QComboBox(this);
    for (const auto &[id, hint] : knownFormats())
        m_format->addItem(id, hint);
    form->addRow(tr("&Format:"), m_format);
    m_formatHint = new QLabel(this);
    m_formatHint->setWordWrap(true);
    m_formatHint->setStyleSheet(QStringLiteral("color: palette(dark);"));
    form->addRow(QString(), m_formatHint);

    auto *rootRow = new QHBoxLayout;
    m_root = new QLineEdit(this);
    m_root->setPlaceholderText(tr("Folder that image paths are relative to"));
    auto *browse = new QPushButton(tr("Browse…"), this);
    rootRow->addWidget(m_root, 1);
    rootRow->addWidget(browse);
    form->addRow(tr("Dataset &root:"), rootRow);

    auto *annotationRow = new QHBoxLayout;
    m_annotations = new QListWidget(this);
    m_annotations->setMaximumHeight(90);
    m_annotations->setSelectionMode(QAbstractItemView::ExtendedSelection);
    auto *buttons = new QVBoxLayout;
    auto *add = new QPushButton(tr("Add…"), this);
    auto *remove = new QPushButton(tr("Remove"), this);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    annotationRow->addWidget(m_annotations, 1);
    annotationRow->addLayout(buttons);
    form->addRow(tr("&Annotation files:"), annotationRow);

    m_problem = new QLabel(this);
    m_problem->setStyleSheet(StatusColors::errorStyle(palette()));
    m_problem->setWordWrap(true);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_format, &QComboBox::currentIndexChanged, this, &OpenDatasetDialog::updateState);
    connect(m_root, &QLineEdit::textChanged, this, &OpenDatasetDialog::updateState);
    connect(browse, &QPushButton::clicked, this, &OpenDatasetDialog::browseRoot);
    connect(add, &QPushButton::clicked, this, &OpenDatasetDialog::addAnnotations);
    connect(remove, &QPushButton::clicked, this, [this] {
        qDeleteAll(m_annotations->selectedItems());
        updateState();
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateState();
}

void OpenDatasetDialog::setSource(const data::DatasetSource &source)
{
    const int at = m_format->findText(QString::fromStdString(source.format));
    if (at >= 0)
        m_format->setCurrentIndex(at);
    m_root->setText(QString::fromStdString(source.root.string()));
    m_annotations->clear();
    for (const auto &file : source.annotations)
        m_annotations->addItem(QString::fromStdString(file.string()));
    updateState();
}

data::DatasetSource OpenDatasetDialog::source() const
{
    data::DatasetSource source;
    source.format = m_format->currentText().toStdString();
    source.root = m_root->text().trimmed().toStdString();
    for (int i = 0; i < m_annotations->count(); ++i)
        source.annotations.emplace_back(m_annotations->item(i)->text().toStdString());
    return source;
}

void OpenDatasetDialog::updateState()
{
    m_formatHint->setText(m_format->currentData().toString());
    QString problem;
    const QString root = m_root->text().trimmed();
    if (root.isEmpty())
        problem = tr("Choose the dataset's root folder.");
    else if (!QFileInfo(root).isDir())
        problem = tr("%1 is not a folder.").arg(root);
    for (int i = 0; i < m_annotations->count() && problem.isEmpty(); ++i)
        if (!QFileInfo(m_annotations->item(i)->text()).isFile())
            problem = tr("%1 is not a file.").arg(m_annotations->item(i)->text());
    m_problem->setText(root.isEmpty() ? QString() : problem);
    m_buttons->button(QDialogButtonBox::Open)->setEnabled(problem.isEmpty());
}

void OpenDatasetDialog::browseRoot()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Dataset Root"), m_root->text());
    if (!dir.isEmpty())
        m_root->setText(QDir::toNativeSeparators(dir));
}

void OpenDatasetDialog::addAnnotations()
{
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Annotation Files"), m_root->text(),
                                      tr("Annotations (*.json *.token *.txt *.csv *.tsv);;All files (*)"));
    for (const QString &file : files)
        m_annotations->addItem(QDir::toNativeSeparators(file));
    updateState();
}

} // namespace poisonlab::ui
