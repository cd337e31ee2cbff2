; Inno Setup 6 script: a per-user installer for the PyInstaller bundle in dist\kayako-desktop\.
; Build the bundle first (python build\build.py), then from the repository root:
;   iscc /DAppVersion=0.1.0 installer\windows\kayako-desktop.iss
; The installer lands in dist\installer\. No admin rights: it installs to %LOCALAPPDATA%\Programs.
; The --smoke self-check runs in CI against the installed copy (.github/workflows/installers.yml),
; never from this installer.

#ifndef AppVersion
  #define AppVersion "0.0.0"
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
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename=kayako-desktop-{#AppVersion}-setup
SetupIconFile=..\..\.cache\icons\kayako-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\kayako-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
