; Inno Setup 6 script: a per-user installer for the PyInstaller bundle in dist\kayako-desktop\.
; Build the bundle first (python build\build.py), then from the repository root, on Windows:
;   iscc /DAppVersion=<kayako_desktop.__version__> installer\windows\kayako-desktop.iss
; (.github/workflows/installers.yml reads the version from Python and passes it), or on Linux under Wine:
;   installer/windows/compile.sh          (what tests/packaging/test_installers.py runs)
; The installer lands in dist\installer\ (ISCC's /O<dir> overrides). No admin rights: it installs to
; %LOCALAPPDATA%\Programs. The --smoke self-check runs in CI against the installed copy, never from here.
;
; Defines (/D<name>=<value>):
;   AppVersion   required: kayako_desktop.__version__ (app/kayako_desktop/__init__.py), never typed here
;   BundleDir    the folder to install (default: dist\kayako-desktop of this checkout)
;   IconFile     the setup's icon (default: .cache\icons\kayako-desktop.ico, written by build\build.py)
;   Compression  Inno's Compression value (default lzma2/max; the Linux test passes a faster one)

#ifndef AppVersion
  #error Pass the version: /DAppVersion=<kayako_desktop.__version__> (installer/windows/compile.sh does)
#endif
#define RepoRoot AddBackslash(SourcePath) + "..\.."
#ifndef BundleDir
  #define BundleDir RepoRoot + "\dist\kayako-desktop"
#endif
#ifndef IconFile
  #define IconFile RepoRoot + "\.cache\icons\kayako-desktop.ico"
#endif
#ifndef Compression
  #define Compression "lzma2/max"
#endif
#define AppName "Kayako Desktop"
#define AppExe "kayako-desktop.exe"

[Setup]
; Never change AppId: it is how upgrades and the uninstaller recognise this app.
AppId={{A053D1F2-FA1F-4AC5-8BC5-DF3B15BF8538}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Kayako Desktop contributors
; The setup .exe's version resource. VersionInfoVersion takes digits and dots only (1 to 4 numbers): a
; pre-release __version__ such as 0.2.0rc1 fails the compile here (and in the test) until this is split.
VersionInfoVersion={#AppVersion}
VersionInfoTextVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoProductTextVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#RepoRoot}\dist\installer
OutputBaseFilename=kayako-desktop-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression={#Compression}
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
