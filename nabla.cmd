@echo off
rem The nabla command line on Windows, the counterpart of ./nabla: builds the project (without tests)
rem with mvnw.cmd when the jar is missing, then runs it. Extra JVM options: NABLA_JAVA_OPTS (they
rem replace the defaults below). Unlike ./nabla it does not notice changed sources: after editing
rem them, run "mvnw.cmd -q -B -DskipTests package" (or delete examples\target\nabla.jar).
setlocal
set "here=%~dp0"
set "jar=%here%examples\target\nabla.jar"
if exist "%jar%" goto run
echo nabla: building (first run) ... 1>&2
pushd "%here%"
call mvnw.cmd -q -B -DskipTests package 1>&2
set "built=%errorlevel%"
popd
if not "%built%"=="0" goto buildfailed
if not exist "%jar%" goto buildfailed
:run
rem Commands that compute nothing start without the Vector API module, so the JVM prints no
rem "Using incubator modules" warning for them.
set "vector=--add-modules jdk.incubator.vector"
if "%~1"=="--help" set "vector="
if "%~1"=="-h" set "vector="
if "%~1"=="--version" set "vector="
if "%~1"=="-V" set "vector="
if "%~1"=="help" set "vector="
if "%~1"=="list" set "vector="
set "opts=-Xss8m -Xmx4g %vector%"
if defined NABLA_JAVA_OPTS set "opts=%NABLA_JAVA_OPTS%"
java %opts% -jar "%jar%" %*
exit /b %errorlevel%
:buildfailed
echo nabla: error: the build failed; run "mvnw.cmd -B -DskipTests package" in %here% to see why 1>&2
exit /b 1
